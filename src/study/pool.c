/* Worker pool: each trial runs in a forked process that writes its result
 * into a pipe, so a trial that crashes or hangs cannot take the study down.
 * fork() is used rather than a pre-started worker that receives configs
 * because the child then shares the parent's loaded data copy-on-write and
 * starts with a clean address space per trial (no leaked state between
 * trials).  The parent waits on all pipes with poll() and kills a trial past
 * its timeout. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecgopt/study.h"

const char *eo_trial_status_name(eo_trial_status s)
{
    switch (s) {
    case EO_TRIAL_OK: return "ok";
    case EO_TRIAL_FAILED: return "failed";
    case EO_TRIAL_CRASHED: return "crashed";
    case EO_TRIAL_TIMEOUT: return "timeout";
    }
    return "?";
}

/* What a child sends back. */
typedef struct msg {
    int ok;               /* 1: objective returned OK with a finite fitness */
    eo_trial_result res;
    char error[256];
} msg;

static void eval_into(eo_objective *obj, eo_pool_item *it, msg *m)
{
    memset(m, 0, sizeof *m);
    eo_error e;
    eo_error_clear(&e);
    m->res.fitness = NAN;
    m->res.fidelity = it->fidelity;
    eo_status st = eo_objective_eval(obj, it->values, it->seed, it->fidelity, &m->res, &e);
    if (st != EO_STATUS_OK) {
        snprintf(m->error, sizeof m->error, "%s", e.msg[0] ? e.msg : eo_status_str(st));
    } else if (!isfinite(m->res.fitness)) {
        snprintf(m->error, sizeof m->error, "objective returned a non-finite fitness");
    } else {
        m->ok = 1;
    }
    m->res.info[sizeof m->res.info - 1] = '\0';
}

static void finish_item(eo_pool_item *it, const msg *m, double wall)
{
    it->wall_s = wall;
    it->result = m->res;
    if (m->ok) {
        it->status = EO_TRIAL_OK;
        it->error[0] = '\0';
    } else {
        it->status = EO_TRIAL_FAILED;
        it->result.fitness = NAN;
        snprintf(it->error, sizeof it->error, "%s", m->error);
    }
}

typedef struct slot {
    pid_t pid;
    int fd;
    size_t item;
    double t0;
    size_t got;
    msg m;
} slot;

static void reap(pid_t pid, int *wstatus)
{
    while (waitpid(pid, wstatus, 0) < 0 && errno == EINTR) {
    }
}

eo_status eo_pool_run(eo_objective *obj, eo_pool_item *items, size_t n, int workers,
                      double timeout_s, eo_pool_done_fn done, void *user, eo_error *err)
{
    if (!obj || (n && !items))
        return eo_error_set(err, EO_STATUS_USAGE, "pool: no objective or items");
    if (workers <= 0) {
        for (size_t i = 0; i < n; i++) {
            msg m;
            double t0 = eo_time_now();
            eval_into(obj, &items[i], &m);
            finish_item(&items[i], &m, eo_time_now() - t0);
            if (done)
                done(user, i, &items[i]);
        }
        return EO_STATUS_OK;
    }
    if (workers > 256)
        workers = 256;
    slot *slots = calloc((size_t)workers, sizeof *slots);
    struct pollfd *pfd = calloc((size_t)workers, sizeof *pfd);
    if (!slots || !pfd) {
        free(slots);
        free(pfd);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "pool: out of memory");
    }
    for (int w = 0; w < workers; w++)
        slots[w].pid = -1;
    eo_status st = EO_STATUS_OK;
    size_t next = 0, finished = 0;
    while (finished < n) {
        /* start trials in free slots */
        for (int w = 0; w < workers && next < n && st == EO_STATUS_OK; w++) {
            if (slots[w].pid >= 0)
                continue;
            int p[2];
            if (pipe(p) != 0) {
                st = eo_error_set(err, EO_STATUS_IO, "pool: pipe: %s", strerror(errno));
                break;
            }
            fflush(NULL);
            pid_t pid = fork();
            if (pid < 0) {
                close(p[0]);
                close(p[1]);
                st = eo_error_set(err, EO_STATUS_IO, "pool: fork: %s", strerror(errno));
                break;
            }
            if (pid == 0) {
                /* child: evaluate, send, leave without running atexit
                 * handlers (the parent's SQLite handle is not ours) */
                close(p[0]);
                msg m;
                eval_into(obj, &items[next], &m);
                const char *b = (const char *)&m;
                size_t left = sizeof m;
                while (left) {
                    ssize_t k = write(p[1], b, left);
                    if (k < 0 && errno == EINTR)
                        continue;
                    if (k <= 0)
                        _exit(3);
                    b += k;
                    left -= (size_t)k;
                }
                close(p[1]);
                _exit(0);
            }
            close(p[1]);
            slots[w].pid = pid;
            slots[w].fd = p[0];
            slots[w].item = next++;
            slots[w].t0 = eo_time_now();
            slots[w].got = 0;
        }
        int active = 0;
        for (int w = 0; w < workers; w++)
            if (slots[w].pid >= 0)
                active++;
        if (active == 0)
            break; /* only after a system error */
        /* wait for output or the nearest timeout */
        int nfd = 0;
        int map[256];
        double now = eo_time_now();
        double wait_s = 1.0;
        for (int w = 0; w < workers; w++) {
            if (slots[w].pid < 0)
                continue;
            pfd[nfd].fd = slots[w].fd;
            pfd[nfd].events = POLLIN;
            pfd[nfd].revents = 0;
            map[nfd++] = w;
            if (timeout_s > 0) {
                double left = slots[w].t0 + timeout_s - now;
                if (left < wait_s)
                    wait_s = left;
            }
        }
        if (wait_s < 0)
            wait_s = 0;
        int pr = poll(pfd, (nfds_t)nfd, (int)(wait_s * 1000.0) + 1);
        if (pr < 0 && errno != EINTR) {
            st = eo_error_set(err, EO_STATUS_IO, "pool: poll: %s", strerror(errno));
            /* fall through: kill and reap everything below */
        }
        now = eo_time_now();
        for (int k = 0; k < nfd; k++) {
            slot *s = &slots[map[k]];
            int closed = 0;
            if (pr > 0 && (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))) {
                ssize_t r = read(s->fd, (char *)&s->m + s->got, sizeof s->m - s->got);
                if (r > 0)
                    s->got += (size_t)r;
                else if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
                    closed = 1;
            }
            eo_pool_item *it = &items[s->item];
            int timed_out = timeout_s > 0 && now - s->t0 > timeout_s;
            if (timed_out && !closed) {
                /* a result may have arrived after poll returned: drain what
                 * is there before calling the trial a timeout */
                struct pollfd one = {.fd = s->fd, .events = POLLIN, .revents = 0};
                while (!closed && s->got < sizeof s->m && poll(&one, 1, 0) > 0) {
                    ssize_t r = read(s->fd, (char *)&s->m + s->got, sizeof s->m - s->got);
                    if (r > 0)
                        s->got += (size_t)r;
                    else if (r == 0 || (errno != EINTR && errno != EAGAIN))
                        closed = 1;
                }
                /* a whole result: the worker is exiting; reap it, do not kill */
                if (closed || s->got == sizeof s->m) {
                    closed = 1;
                    timed_out = 0;
                }
            }
            if (!closed && !timed_out && st == EO_STATUS_OK)
                continue;
            if (!closed)
                kill(s->pid, SIGKILL);
            int ws = 0;
            reap(s->pid, &ws);
            close(s->fd);
            double wall = now - s->t0;
            if (closed && s->got == sizeof s->m && WIFEXITED(ws) && WEXITSTATUS(ws) == 0) {
                finish_item(it, &s->m, wall);
            } else {
                memset(&it->result, 0, sizeof it->result);
                it->result.fitness = NAN;
                it->result.fidelity = it->fidelity;
                it->wall_s = wall;
                if (!closed && timed_out) {
                    it->status = EO_TRIAL_TIMEOUT;
                    snprintf(it->error, sizeof it->error, "killed after %.3g s (timeout)",
                             timeout_s);
                } else {
                    it->status = EO_TRIAL_CRASHED;
                    if (WIFSIGNALED(ws))
                        snprintf(it->error, sizeof it->error, "worker died of signal %d (%s)",
                                 WTERMSIG(ws), strsignal(WTERMSIG(ws)));
                    else
                        snprintf(it->error, sizeof it->error,
                                 "worker exited with status %d without a result",
                                 WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
                }
            }
            s->pid = -1;
            finished++;
            if (done && st == EO_STATUS_OK)
                done(user, s->item, it);
        }
        if (st != EO_STATUS_OK) {
            /* kill whatever still runs */
            for (int w = 0; w < workers; w++) {
                if (slots[w].pid >= 0) {
                    int ws;
                    kill(slots[w].pid, SIGKILL);
                    reap(slots[w].pid, &ws);
                    close(slots[w].fd);
                    slots[w].pid = -1;
                }
            }
            break;
        }
    }
    free(slots);
    free(pfd);
    return st;
}
