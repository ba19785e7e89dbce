/* Included into every C file compiled in the build root (CFLAGS -include), so that Python and
 * SQLite run on glibc 2.28 (统信UOS 20) although the root has glibc 2.31.
 * glibc 2.29 added new versions of these functions (without the old SVID error wrappers);
 * the old versions are still exported by every later glibc and give the same results in
 * Python, which checks errno and the result itself. Binding to them keeps the highest
 * GLIBC_ symbol version of the bundle at 2.28 (what the PySide6 manylinux_2_28 wheel needs).
 * Python's sem_clockwait (GLIBC_2.30) is switched off at configure time instead. */
#ifndef TONGDANG_GLIBC_228_H
#define TONGDANG_GLIBC_228_H
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
__asm__(".symver pow,pow@GLIBC_2.2.5");
__asm__(".symver exp2,exp2@GLIBC_2.2.5");
__asm__(".symver log2,log2@GLIBC_2.2.5");
#endif
