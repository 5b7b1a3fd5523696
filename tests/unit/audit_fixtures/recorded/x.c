#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
extern void weakfn(void) __attribute__((weak));
int exported_fn(int a) { struct stat st; stat("x", &st); if (weakfn) weakfn(); return (int)strlen(getenv("HOME")) + a; }
