#ifndef CLINUX_H
#define CLINUX_H
// Linux interfaces that Swift's Glibc module does not export.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

int clinux_accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
#endif
