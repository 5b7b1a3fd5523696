# All metadata lives in setup.cfg; this file lets `python setup.py ...` keep working.
from setuptools import setup

setup()
