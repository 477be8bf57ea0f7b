/* MPI evaluation of a batch: rank 0 runs the study (optimiser, database) and
 * hands configurations to ranks 1..size-1, which evaluate each one in a
 * forked worker (eo_pool_run with one worker, so a crash or timeout on a rank
 * is a failed trial there too) and send the result back.  Dispatch is
 * dynamic (next item to whichever rank answers first); results are placed
 * by batch position, so the trajectory equals the single-process one. */
#include <stdlib.h>
#include <string.h>

#include "ecgopt/study.h"

#ifdef ECGOPT_HAVE_MPI
#include <mpi.h>

enum { TAG_WORK = 1, TAG_RESULT = 2, TAG_STOP = 3 };

/* work: index, seed, fidelity, timeout, dim values (all as doubles, seed as
 * raw bits); result: index, status, wall, then the result struct and error */
typedef struct wire_result {
    double index;
    int status;
    double wall_s;
    eo_trial_result result;
    char error[256];
} wire_result;

int eo_study_mpi_available(void)
{
    return 1;
}

eo_status eo_study_mpi_init(int *argc, char ***argv, int *rank, int *size, eo_error *err)
{
    int inited = 0;
    MPI_Initialized(&inited);
    if (!inited && MPI_Init(argc, argv) != MPI_SUCCESS)
        return eo_error_set(err, EO_STATUS_IO, "mpi: MPI_Init failed");
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return EO_STATUS_OK;
}


eo_status eo_study_mpi_serve(eo_objective *obj, eo_error *err)
{
    size_t dim = eo_space_dim(eo_objective_space(obj));
    double *buf = malloc((dim + 4) * sizeof(double));
    if (!buf)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "mpi: out of memory");
    eo_status st = eo_objective_prepare(obj, err);
    for (;;) {
        MPI_Status ms;
        MPI_Recv(buf, (int)(dim + 4), MPI_DOUBLE, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &ms);
        if (ms.MPI_TAG == TAG_STOP)
            break;
        eo_pool_item it;
        memset(&it, 0, sizeof it);
        it.values = buf + 4;
        memcpy(&it.seed, &buf[1], sizeof it.seed);
        it.fidelity = buf[2];
        wire_result w;
        memset(&w, 0, sizeof w);
        w.index = buf[0];
        if (st == EO_STATUS_OK) {
            eo_error e;
            if (eo_pool_run(obj, &it, 1, 1, buf[3], NULL, NULL, &e) != EO_STATUS_OK) {
                it.status = EO_TRIAL_CRASHED;
                snprintf(it.error, sizeof it.error, "%s", e.msg);
            }
        } else {
            it.status = EO_TRIAL_FAILED;
            snprintf(it.error, sizeof it.error, "rank cannot prepare the objective: %s",
                     err ? err->msg : "?");
        }
        w.status = (int)it.status;
        w.wall_s = it.wall_s;
        w.result = it.result;
        memcpy(w.error, it.error, sizeof w.error);
        MPI_Send(&w, (int)sizeof w, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    }
    free(buf);
    return st;
}

eo_status eo_study_mpi_eval(eo_objective *obj, eo_pool_item *items, size_t n,
                            eo_pool_done_fn done, void *user, eo_error *err)
{
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size <= 1)
        return eo_pool_run(obj, items, n, 1, 0, done, user, err);
    size_t dim = eo_space_dim(eo_objective_space(obj));
    double *buf = malloc((dim + 4) * sizeof(double));
    if (!buf)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "mpi: out of memory");
    double timeout = eo_objective_default_timeout(obj);
    size_t next = 0, finished = 0;
    int busy = 0;
    for (int r = 1; r < size && next < n; r++, next++) {
        buf[0] = (double)next;
        memcpy(&buf[1], &items[next].seed, sizeof(double));
        buf[2] = items[next].fidelity;
        buf[3] = timeout;
        memcpy(buf + 4, items[next].values, dim * sizeof(double));
        MPI_Send(buf, (int)(dim + 4), MPI_DOUBLE, r, TAG_WORK, MPI_COMM_WORLD);
        busy++;
    }
    while (finished < n) {
        wire_result w;
        MPI_Status ms;
        MPI_Recv(&w, (int)sizeof w, MPI_BYTE, MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &ms);
        size_t i = (size_t)w.index;
        if (i < n) {
            eo_pool_item *it = &items[i];
            it->status = (eo_trial_status)w.status;
            it->wall_s = w.wall_s;
            it->result = w.result;
            memcpy(it->error, w.error, sizeof it->error);
            it->error[sizeof it->error - 1] = '\0';
            it->result.info[sizeof it->result.info - 1] = '\0';
            finished++;
            if (done)
                done(user, i, it);
        }
        if (next < n) {
            buf[0] = (double)next;
            memcpy(&buf[1], &items[next].seed, sizeof(double));
            buf[2] = items[next].fidelity;
            buf[3] = timeout;
            memcpy(buf + 4, items[next].values, dim * sizeof(double));
            MPI_Send(buf, (int)(dim + 4), MPI_DOUBLE, ms.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
            next++;
        }
    }
    (void)busy;
    free(buf);
    return EO_STATUS_OK;
}

void eo_study_mpi_stop(void)
{
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    double z[1] = {0};
    for (int r = 1; r < size; r++)
        MPI_Send(z, 0, MPI_DOUBLE, r, TAG_STOP, MPI_COMM_WORLD);
}

void eo_study_mpi_finalize(void)
{
    int fin = 0;
    MPI_Finalized(&fin);
    if (!fin)
        MPI_Finalize();
}

#else /* no MPI in this build */

int eo_study_mpi_available(void)
{
    return 0;
}

eo_status eo_study_mpi_init(int *argc, char ***argv, int *rank, int *size, eo_error *err)
{
    (void)argc;
    (void)argv;
    *rank = 0;
    *size = 1;
    return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                        "mpi: this ecgopt was built without MPI (cmake -DECGOPT_MPI=ON)");
}

eo_status eo_study_mpi_serve(eo_objective *obj, eo_error *err)
{
    (void)obj;
    return eo_error_set(err, EO_STATUS_UNSUPPORTED, "mpi: this ecgopt was built without MPI");
}

eo_status eo_study_mpi_eval(eo_objective *obj, eo_pool_item *items, size_t n,
                            eo_pool_done_fn done, void *user, eo_error *err)
{
    (void)obj;
    (void)items;
    (void)n;
    (void)done;
    (void)user;
    return eo_error_set(err, EO_STATUS_UNSUPPORTED, "mpi: this ecgopt was built without MPI");
}

void eo_study_mpi_stop(void)
{
}

void eo_study_mpi_finalize(void)
{
}

#endif
