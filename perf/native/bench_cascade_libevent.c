/*
 * libevent's test/bench_cascade.c workload, written for Panamax's side-by-side comparison (see
 * io.panamax.perf.bench.CascadeBench for the Java twin and scripts/bench-dispatch.sh to run both):
 * per run, N fresh socketpairs (not timed); then, timed, N non-persistent READ events with a 60 s
 * timeout each are set and added, one byte goes into pair 0, every callback reads its byte and sends
 * one into the next pair, and event_base_dispatch returns when no event is left.
 * Prints the elapsed microseconds of each run, its involuntary context switches and its thread CPU microseconds
 * on stdout (bench_common.h).
 *
 * Build (here, next to bench_common.h): gcc -O2 -o bench_cascade_libevent bench_cascade_libevent.c -levent
 * Usage: bench_cascade_libevent [-n pipes] [-r runs] [-m method]
 */
#include "bench_common.h"
#include <event2/event.h>
#include <event2/event_struct.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fired;

static void on_read(evutil_socket_t fd, short what, void *arg)
{
    int next = (int)(intptr_t)arg;
    unsigned char byte;
    (void)what;
    if (recv(fd, &byte, 1, 0) < 0)
    {
        perror("recv");
    }
    if (next >= 0 && send(next, "e", 1, 0) != 1)
    {
        perror("send");
        exit(1);
    }
    fired++;
}

static void run_once(struct event_base *base, int pipe_count, struct bench_meter *meter)
{
    struct timeval timeout = { 60, 0 };
    struct event *events = calloc((size_t)pipe_count, sizeof(struct event));
    int *fds = calloc((size_t)pipe_count * 2, sizeof(int));
    int i;
    for (i = 0; i < pipe_count; i++)
    {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, &fds[2 * i]) == -1)
        {
            perror("socketpair");
            exit(1);
        }
    }
    bench_meter_start(meter);
    for (i = 0; i < pipe_count; i++)
    {
        int next = i < pipe_count - 1 ? fds[2 * i + 3] : -1;
        event_assign(&events[i], base, fds[2 * i], EV_READ, on_read, (void *)(intptr_t)next);
        event_add(&events[i], &timeout);
    }
    fired = 0;
    if (send(fds[1], "e", 1, 0) != 1)
    {
        perror("send");
        exit(1);
    }
    event_base_dispatch(base);
    bench_meter_stop(meter);
    if (fired != pipe_count)
    {
        fprintf(stderr, "only %d of %d events fired\n", fired, pipe_count);
        exit(1);
    }
    for (i = 0; i < pipe_count; i++)
    {
        event_del(&events[i]);
        close(fds[2 * i]);
        close(fds[2 * i + 1]);
    }
    free(fds);
    free(events);
}

int main(int argc, char **argv)
{
    int runs = 25, pipe_count = 100, c, i;
    const char *method = NULL;
    struct event_base *base;
    while ((c = getopt(argc, argv, "n:r:W:m:")) != -1)
    {
        switch (c)
        {
            case 'n': pipe_count = atoi(optarg); break;
            case 'r': runs = atoi(optarg); break;
            case 'W': break; /* the Java twin's warm-up count; C needs none */
            case 'm': method = optarg; break;
            default: fprintf(stderr, "usage: %s [-n pipes] [-r runs] [-m method]\n", argv[0]);
                return 2;
        }
    }
    bench_raise_nofile(pipe_count);
    base = bench_base_new(method);
    if (base == NULL)
    {
        return 1;
    }
    fprintf(stderr, "libevent %s, method %s\n", event_get_version(), event_base_get_method(base));
    for (i = 0; i < runs; i++)
    {
        struct bench_meter meter;
        run_once(base, pipe_count, &meter);
        bench_meter_print(&meter);
    }
    event_base_free(base);
    return 0;
}
