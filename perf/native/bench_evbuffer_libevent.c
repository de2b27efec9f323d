/*
 * The work of Panamax's JMH EvBuffer benchmarks, done by libevent's evbuffer in C, for a side-by-side ratio
 * (scripts/bench-evbuffer.sh runs both; io.panamax.perf.jmh.EvBufferBenchmark and
 * SocketpairThroughputBenchmark are the Java twins). Each benchmark has the same state and the same op:
 *   addDrain.N            evbuffer_add of N bytes, then evbuffer_drain of N (N = 64, 1024, 16384)
 *   addBuffer10Chains     evbuffer_add_buffer of a 10-chain buffer into another and back
 *   search1MiB            evbuffer_search for "needle\r\n" at the very end of 1 MiB
 *   searchEol1MiB         evbuffer_search_eol (CRLF) over 1 MiB with no CR/LF before its end
 *   readLine1MiB          add a reference to 1 MiB of 64-byte CRLF lines, then take every line out into a
 *                         caller buffer (evbuffer_search_eol + evbuffer_remove + evbuffer_drain: no malloc,
 *                         as the Java readLine(style, segment))
 *   readLine1MiBReadln    the same lines through evbuffer_readln (malloc + free per line: libevent's usual way)
 *   socketpair16KiB       16 KiB through a non-blocking AF_UNIX stream pair: evbuffer_add, evbuffer_write,
 *                         evbuffer_read(fd, -1) until all arrived, evbuffer_drain
 * Timing as JMH's average-time mode: W warm-up iterations then I measured iterations of about T ms each; one
 * line per benchmark on stdout: its name, then the ns/op of each measured iteration.
 *
 * Build: gcc -O2 -o bench_evbuffer_libevent bench_evbuffer_libevent.c -levent_core
 * Usage: bench_evbuffer_libevent [-w warmups] [-i iterations] [-t ms] [-b name-substring]
 */
#include <event2/buffer.h>
#include <event2/util.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MIB (1 << 20)
#define MESSAGE (16 * 1024)
#define MAX_ITERATIONS 100

static const char NEEDLE[] = "needle\r\n";
#define NEEDLE_LEN 8

static int warmups = 2;
static int iterations = 3;
static long iteration_ms = 1000;
static volatile long sink;

static unsigned char message[MESSAGE];
static struct evbuffer *sized;
static size_t sized_len;
static struct evbuffer *chains10;
static struct evbuffer *other;
static struct evbuffer *haystack;
static struct evbuffer *lines;
static struct evbuffer *work;
static char line_out[256];
static int pair_fds[2];
static struct evbuffer *out;
static struct evbuffer *in;

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static long op_add_drain(void)
{
    evbuffer_add(sized, message, sized_len);
    evbuffer_drain(sized, sized_len);
    return (long)evbuffer_get_length(sized);
}

static long op_add_buffer_10_chains(void)
{
    evbuffer_add_buffer(other, chains10);
    evbuffer_add_buffer(chains10, other);
    return (long)evbuffer_get_length(chains10);
}

static long op_search(void)
{
    return (long)evbuffer_search(haystack, NEEDLE, NEEDLE_LEN, NULL).pos;
}

static long op_search_eol(void)
{
    size_t eol_len = 0;
    return (long)evbuffer_search_eol(haystack, NULL, &eol_len, EVBUFFER_EOL_CRLF).pos;
}

static long op_read_line(void)
{
    long total = 0;
    evbuffer_add_buffer_reference(work, lines);
    for (;;)
    {
        size_t eol_len = 0;
        struct evbuffer_ptr eol = evbuffer_search_eol(work, NULL, &eol_len, EVBUFFER_EOL_CRLF);
        if (eol.pos < 0)
        {
            break;
        }
        if ((size_t)eol.pos > sizeof(line_out))
        {
            fprintf(stderr, "line longer than the output buffer\n");
            exit(1);
        }
        evbuffer_remove(work, line_out, (size_t)eol.pos);
        evbuffer_drain(work, eol_len);
        total += eol.pos;
    }
    return total;
}

static long op_read_line_readln(void)
{
    long total = 0;
    char *line;
    size_t n;
    evbuffer_add_buffer_reference(work, lines);
    while ((line = evbuffer_readln(work, &n, EVBUFFER_EOL_CRLF)) != NULL)
    {
        total += (long)n;
        free(line);
    }
    return total;
}

static long op_socketpair(void)
{
    long n;
    evbuffer_add(out, message, MESSAGE);
    while (evbuffer_get_length(out) > 0)
    {
        evbuffer_write(out, pair_fds[0]);
        evbuffer_read(in, pair_fds[1], -1);
    }
    while (evbuffer_get_length(in) < MESSAGE)
    {
        evbuffer_read(in, pair_fds[1], -1);
    }
    n = (long)evbuffer_get_length(in);
    evbuffer_drain(in, (size_t)n);
    return n;
}

static void set_up(void)
{
    static unsigned char block[64 * 1024];
    unsigned char line[64];
    struct evbuffer *piece = evbuffer_new();
    int i;
    other = evbuffer_new();
    chains10 = evbuffer_new();
    for (i = 0; i < 10; i++)
    {
        evbuffer_add(piece, message, 64);
        evbuffer_add_buffer(chains10, piece);
    }
    evbuffer_free(piece);
    haystack = evbuffer_new();
    memset(block, 'a', sizeof(block));
    for (i = 0; i < 16; i++)
    {
        evbuffer_add(haystack, block, sizeof(block));
    }
    evbuffer_drain(haystack, NEEDLE_LEN);
    evbuffer_add(haystack, NEEDLE, NEEDLE_LEN);
    lines = evbuffer_new();
    memset(line, 'x', sizeof(line));
    line[62] = '\r';
    line[63] = '\n';
    for (i = 0; i < MIB / 64; i++)
    {
        evbuffer_add(lines, line, sizeof(line));
    }
    work = evbuffer_new();
    sized = evbuffer_new();
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair_fds) == -1)
    {
        die("socketpair");
    }
    if (evutil_make_socket_nonblocking(pair_fds[0]) == -1 || evutil_make_socket_nonblocking(pair_fds[1]) == -1)
    {
        die("fcntl");
    }
    out = evbuffer_new();
    in = evbuffer_new();
}

/* Run op in batches for about iteration_ms; the ns/op of that time. */
static double iterate(long (*op)(void))
{
    long deadline = now_ns() + iteration_ms * 1000000L;
    long start = now_ns();
    long ops = 0;
    long end;
    long batch = 1;
    do
    {
        long k;
        for (k = 0; k < batch; k++)
        {
            sink += op();
        }
        ops += batch;
        end = now_ns();
        if (batch < 1024)
        {
            batch *= 2;
        }
    }
    while (end < deadline);
    return (double)(end - start) / (double)ops;
}

static void run(const char *name, const char *filter, long (*op)(void))
{
    int i;
    if (filter != NULL && strstr(name, filter) == NULL)
    {
        return;
    }
    for (i = 0; i < warmups; i++)
    {
        iterate(op);
    }
    printf("%s", name);
    for (i = 0; i < iterations; i++)
    {
        printf(" %.1f", iterate(op));
    }
    printf("\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *filter = NULL;
    int c;
    while ((c = getopt(argc, argv, "w:i:t:b:")) != -1)
    {
        switch (c)
        {
            case 'w': warmups = atoi(optarg); break;
            case 'i': iterations = atoi(optarg); break;
            case 't': iteration_ms = atol(optarg); break;
            case 'b': filter = optarg; break;
            default:
                fprintf(stderr, "usage: %s [-w warmups] [-i iterations] [-t ms] [-b name-substring]\n", argv[0]);
                return 2;
        }
    }
    if (warmups < 0 || iterations < 1 || iterations > MAX_ITERATIONS || iteration_ms < 1)
    {
        fprintf(stderr, "need warmups >= 0, 1 <= iterations <= %d, ms >= 1\n", MAX_ITERATIONS);
        return 2;
    }
    set_up();
    sized_len = 64;
    run("addDrain.64", filter, op_add_drain);
    sized_len = 1024;
    run("addDrain.1024", filter, op_add_drain);
    sized_len = 16384;
    run("addDrain.16384", filter, op_add_drain);
    run("addBuffer10Chains", filter, op_add_buffer_10_chains);
    run("search1MiB", filter, op_search);
    run("searchEol1MiB", filter, op_search_eol);
    run("readLine1MiB", filter, op_read_line);
    run("readLine1MiBReadln", filter, op_read_line_readln);
    run("socketpair16KiB", filter, op_socketpair);
    evbuffer_free(sized);
    evbuffer_free(chains10);
    evbuffer_free(other);
    evbuffer_free(haystack);
    evbuffer_free(lines);
    evbuffer_free(work);
    evbuffer_free(out);
    evbuffer_free(in);
    close(pair_fds[0]);
    close(pair_fds[1]);
    return 0;
}
