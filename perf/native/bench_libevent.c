/*
 * libevent's test/bench.c workload, written for Panamax's side-by-side comparison (see
 * io.panamax.perf.bench.DispatchBench for the Java twin and scripts/bench-dispatch.sh to run both):
 * N socketpairs with a persistent READ event each; A of them get one byte; every read callback
 * reads its byte and, while the write budget W lasts, sends one byte to the next pair.
 * Prints the elapsed microseconds of each timed run (dispatch + callbacks only), its involuntary context
 * switches and its thread CPU microseconds on stdout (bench_common.h).
 *
 * Build: gcc -O2 -o bench_libevent bench_libevent.c -levent
 * Usage: bench_libevent -n pipes -a active -w writes [-r runs] [-m method]
 */
#include "bench_common.h"
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int pipe_count = 100;
static int active_count = 1;
static int write_budget = 100;
static int *fds;
static struct event **events;
static long reads_done;
static long bytes_sent;
static int writes_left;

static void on_read(evutil_socket_t fd, short what, void *arg)
{
    long idx = (long)arg;
    unsigned char byte;
    (void)what;
    if (recv(fd, &byte, 1, 0) == 1)
    {
        reads_done++;
    }
    if (writes_left > 0)
    {
        long next = idx + 1 == pipe_count ? 0 : idx + 1;
        if (send(fds[2 * next + 1], "e", 1, 0) == 1)
        {
            bytes_sent++;
        }
        writes_left--;
    }
}

static void run_once(struct event_base *base, struct bench_meter *meter)
{
    long i, spacing;
    for (i = 0; i < pipe_count; i++)
    {
        if (events[i] != NULL)
        {
            event_free(events[i]);
        }
        events[i] = event_new(base, fds[2 * i], EV_READ | EV_PERSIST, on_read, (void *)i);
        event_add(events[i], NULL);
    }
    event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
    bytes_sent = 0;
    reads_done = 0;
    writes_left = write_budget;
    spacing = pipe_count / active_count;
    for (i = 0; i < active_count; i++)
    {
        if (send(fds[2 * (i * spacing) + 1], "e", 1, 0) == 1)
        {
            bytes_sent++;
        }
    }
    bench_meter_start(meter);
    do
    {
        event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
    }
    while (reads_done != bytes_sent);
    bench_meter_stop(meter);
}

int main(int argc, char **argv)
{
    int runs = 25, c, i;
    const char *method = NULL;
    struct event_base *base;
    while ((c = getopt(argc, argv, "n:a:w:r:m:")) != -1)
    {
        switch (c)
        {
            case 'n': pipe_count = atoi(optarg); break;
            case 'a': active_count = atoi(optarg); break;
            case 'w': write_budget = atoi(optarg); break;
            case 'r': runs = atoi(optarg); break;
            case 'm': method = optarg; break;
            default: fprintf(stderr, "usage: %s -n pipes -a active -w writes [-r runs] [-m method]\n", argv[0]);
                return 2;
        }
    }
    bench_raise_nofile(pipe_count);
    base = bench_base_new(method);
    if (base == NULL)
    {
        return 1;
    }
    fds = calloc((size_t)pipe_count * 2, sizeof(int));
    events = calloc((size_t)pipe_count, sizeof(struct event *));
    for (i = 0; i < pipe_count; i++)
    {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, &fds[2 * i]) == -1)
        {
            perror("socketpair");
            return 1;
        }
        evutil_make_socket_nonblocking(fds[2 * i]);
    }
    fprintf(stderr, "libevent %s, method %s\n", event_get_version(), event_base_get_method(base));
    for (i = 0; i < runs; i++)
    {
        struct bench_meter meter;
        run_once(base, &meter);
        bench_meter_print(&meter);
    }
    return 0;
}
