/* Set-up shared by the C echo servers: argument check, parent-death signal, listening socket. */
#ifndef ECHO_COMMON_H
#define ECHO_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * Parse PORT, die with the parent (the harness) so no server outlives a run, and return a listening
 * socket on 127.0.0.1:PORT (non-blocking when asked).
 */
static inline int echo_listen(int argc, char **argv, const char *name, int nonblocking)
{
    if (argc != 2 || atoi(argv[1]) <= 0 || atoi(argv[1]) > 65535)
    {
        fprintf(stderr, "usage: %s PORT\n", name);
        exit(2);
    }
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    signal(SIGPIPE, SIG_IGN);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(argv[1]));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 1024) < 0)
    {
        fprintf(stderr, "%s: bind/listen 127.0.0.1:%s: %s\n", name, argv[1], strerror(errno));
        exit(1);
    }
    printf("%s: echoing on 127.0.0.1:%s\n", name, argv[1]);
    fflush(stdout);
    return fd;
}

#endif
