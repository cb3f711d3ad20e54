/*
 * server/core/signals.c - synchronous signal handling (signals.h).
 */
#include "server/core/signals.h"

#include <pthread.h>
#include <signal.h>

static void daemon_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
}

void fm_srv_signals_block(void)
{
    sigset_t set;
    daemon_set(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int fm_srv_signals_wait(void)
{
    sigset_t set;
    int sig = 0;
    daemon_set(&set);
    while (sigwait(&set, &sig) != 0)
        ;
    return sig == SIGHUP ? FM_SRV_SIG_RELOAD : FM_SRV_SIG_STOP;
}
