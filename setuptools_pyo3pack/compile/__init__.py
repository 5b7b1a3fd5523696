"""Turning a project into native artifacts: interpreters, the build plan, cargo, cffi, zig."""
