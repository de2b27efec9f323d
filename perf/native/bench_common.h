/*
 * Shared by bench_libevent.c and bench_cascade_libevent.c: raise RLIMIT_NOFILE for N socketpairs, create an
 * event base restricted to one method (all others avoided), as libevent's own bench programs need, and measure a
 * timed section as the Java twins do (io.panamax.perf.bench.RunMeter): wall-clock microseconds, involuntary context
 * switches (a run preempted on a shared machine lost a scheduler slice) and the thread's CPU microseconds (which do
 * not count the time off the CPU).
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <event2/event.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* One timed section: bench_meter_start, the work, bench_meter_stop, then print bench_meter_line's fields. */
struct bench_meter
{
    struct timespec wall;
    struct timespec cpu;
    long switches;
    long wall_us;
    long cpu_us;
    long preemptions;
};

/* Involuntary context switches of the process so far (-1 when getrusage fails). */
static long bench_preemptions(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_nivcsw : -1;
}

static long bench_us_between(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000000L + (b->tv_nsec - a->tv_nsec) / 1000L;
}

static void bench_meter_start(struct bench_meter *m)
{
    m->switches = bench_preemptions();
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &m->cpu);
    clock_gettime(CLOCK_MONOTONIC, &m->wall);
}

/* Ends the section; returns its wall-clock microseconds. */
static long bench_meter_stop(struct bench_meter *m)
{
    struct timespec wall, cpu;
    long switches;
    clock_gettime(CLOCK_MONOTONIC, &wall);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    switches = bench_preemptions();
    m->wall_us = bench_us_between(&m->wall, &wall);
    m->cpu_us = bench_us_between(&m->cpu, &cpu);
    m->preemptions = m->switches < 0 || switches < 0 ? -1 : switches - m->switches;
    return m->wall_us;
}

/* The section as the bench programs print it: wall us, involuntary switches, thread CPU us. */
static void bench_meter_print(const struct bench_meter *m)
{
    printf("%ld %ld %ld\n", m->wall_us, m->preemptions, m->cpu_us);
}

/* Make room for pipe_count socketpairs (two fds each) plus a margin. */
static void bench_raise_nofile(int pipe_count)
{
    struct rlimit rl;
    rlim_t want = (rlim_t)pipe_count * 2 + 50;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want)
    {
        rl.rlim_cur = want;
        if (rl.rlim_max < want)
        {
            rl.rlim_max = want;
        }
        if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
        {
            perror("setrlimit");
        }
    }
}

/* An event base using only `method` (NULL = libevent's choice); NULL with a message when none fits. */
static struct event_base *bench_base_new(const char *method)
{
    struct event_config *cfg = event_config_new();
    struct event_base *base;
    int i;
    if (method != NULL)
    {
        const char **all = event_get_supported_methods();
        for (i = 0; all[i] != NULL; i++)
        {
            if (strcmp(all[i], method) != 0)
            {
                event_config_avoid_method(cfg, all[i]);
            }
        }
    }
    base = event_base_new_with_config(cfg);
    event_config_free(cfg);
    if (base == NULL)
    {
        fprintf(stderr, "no event base for method %s\n", method ? method : "(default)");
    }
    return base;
}

#endif
