/*
 * Shared by bench_libevent.c and bench_cascade_libevent.c: raise RLIMIT_NOFILE for N socketpairs and create an
 * event base restricted to one method (all others avoided), as libevent's own bench programs need.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <event2/event.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

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
