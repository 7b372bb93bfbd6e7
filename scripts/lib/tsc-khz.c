// SPDX-License-Identifier: GPL-2.0
/*
 * tsc-khz: this machine's time-stamp counter rate, in kHz, on stdout.
 *
 * QEMU's TCG gives its guest the host's counter (cpu_get_ticks() reads the
 * host's TSC), so this is the guest's rate too. scripts/vm passes it to the
 * debug kernel as tsc_early_khz=: booted with acpi=off, that kernel has no
 * HPET or ACPI PM timer to calibrate the TSC against, and would otherwise
 * keep time with jiffies, which lose ticks when the guest falls behind (its
 * clock then ran at 60-70% of the wall clock, and every timer with it).
 *
 * Measured over 200 ms of CLOCK_MONOTONIC_RAW, the highest of three. Exits 1,
 * printing nothing, on a machine that is not x86 or whose counter does not
 * run at a constant rate.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int constant_tsc(void)
{
	char line[4096];
	FILE *f = fopen("/proc/cpuinfo", "r");
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			found = strstr(line, " constant_tsc") != NULL;
			break;
		}
	fclose(f);
	return found;
}

int main(void)
{
	struct timespec nap = { 0, 200 * 1000 * 1000 };
	double best = 0;
	int i;

	if (!constant_tsc())
		return 1;
	for (i = 0; i < 3; i++) {
		double t0 = now(), t1, khz;
		unsigned long long c0 = __rdtsc(), c1;

		nanosleep(&nap, NULL);
		c1 = __rdtsc();
		t1 = now();
		khz = (c1 - c0) / (t1 - t0) / 1000;
		/* a preemption between paired reads only lowers it */
		if (khz > best)
			best = khz;
	}
	if (best < 1000)
		return 1;
	printf("%.0f\n", best);
	return 0;
}
#else
int main(void)
{
	return 1;
}
#endif
