package dev.v86unit.internal.machine;

import dev.v86unit.OutputFrame;
import dev.v86unit.internal.host.HostMessage;
import dev.v86unit.internal.host.NdjsonCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The background jobs of one machine that may still run, by number, and the host events that concern them. */
final class BackgroundJobs {

    private final Map<Integer, BackgroundJob> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger numbers = new AtomicInteger();

    /** @return a number no job of this machine had */
    int nextNumber() {
        return numbers.incrementAndGet();
    }

    void add(BackgroundJob job) {
        jobs.put(job.job(), job);
    }

    void remove(int job) {
        jobs.remove(job);
    }

    /** An {@code output} or {@code jobExit} event of the host, on its reader thread. */
    void onEvent(HostMessage.Event event) {
        BackgroundJob job = jobs.get(event.body().path("job").asInt());
        if (job == null) {
            return;
        }
        if (event.name().equals("jobExit")) {
            jobs.remove(job.job());
            job.exited(event.body().path("code").asInt(255));
        } else {
            job.output("o".equals(event.body().path("s").asText()) ? OutputFrame.Type.STDOUT : OutputFrame.Type.STDERR,
                    NdjsonCodec.bytes(event.body(), "data"));
        }
    }

    /** The guest state they ran in is gone: none of them has an exit code. */
    void endAll(String why) {
        for (BackgroundJob job : jobs.values()) {
            job.ended(why);
        }
        jobs.clear();
    }
}
