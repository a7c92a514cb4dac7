package io.eco2.tests.scaling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The worker pods and the stage queues. Each pod runs every stage with {@code podConcurrency} slots per
 * stage (as one engine worker process does) and, under the original policy, holds up to {@code prefetch}
 * more messages per stage that it has taken from the queue but not started (AMQP prefetch: unacked, so not
 * "ready" for the AMQP trigger).
 */
final class Cluster {

  /** One job's passage through the stages. */
  static final class Job {
    final int user;
    final double submitted;
    int stage;
    double enqueued;
    double queueSeconds;
    double remaining;
    double started;
    boolean lost;

    Job(int user, double submitted) {
      this.user = user;
      this.submitted = submitted;
    }
  }

  static final class Pod {
    final double created;
    final double readyAt;
    final List<List<Job>> running = new ArrayList<>();
    final List<ArrayDeque<Job>> buffered = new ArrayList<>();
    double drainingSince = -1;

    Pod(double created, double readyAt) {
      this.created = created;
      this.readyAt = readyAt;
      for (int s = 0; s < Stages.NAMES.length; s++) {
        running.add(new ArrayList<>());
        buffered.add(new ArrayDeque<>());
      }
    }

    int busy() {
      int n = 0;
      for (int s = 0; s < running.size(); s++) {
        n += running.get(s).size() + buffered.get(s).size();
      }
      return n;
    }
  }

  private final SimConfig config;
  private final int prefetch;
  private final Random random;
  private final List<ArrayDeque<Job>> queues = new ArrayList<>();
  final List<Pod> pods = new ArrayList<>();
  private final long[] completed = new long[Stages.NAMES.length];
  private final double[] busy = new double[Stages.NAMES.length];
  long podsKilledBusy;
  long jobsLost;
  double podSeconds;

  Cluster(SimConfig config, boolean prefetches, Random random) {
    this.config = config;
    this.prefetch = prefetches ? config.prefetch() : 0;
    this.random = random;
    for (int s = 0; s < Stages.NAMES.length; s++) {
      queues.add(new ArrayDeque<>());
    }
  }

  void submit(Job job, double now) {
    job.stage = 0;
    job.enqueued = now;
    queues.get(0).addLast(job);
  }

  long ready(int stage) {
    return queues.get(stage).size();
  }

  /** Work held by pods for the stage: running and prefetched (the engine's in-flight / unacked). */
  long inflight(int stage) {
    long n = 0;
    for (Pod p : pods) {
      n += p.running.get(stage).size() + p.buffered.get(stage).size();
    }
    return n;
  }

  long completed(int stage) {
    return completed[stage];
  }

  double busySeconds(int stage) {
    return busy[stage];
  }

  /** Pods not being scaled down. */
  int pods() {
    return (int) pods.stream().filter(p -> p.drainingSince < 0).count();
  }

  void addPod(double now) {
    pods.add(new Pod(now, now + config.startupSeconds()));
  }

  /** Scales down one pod: the newest first, as a ReplicaSet does. */
  void removePod(double now, boolean drains) {
    for (int i = pods.size() - 1; i >= 0; i--) {
      Pod p = pods.get(i);
      if (p.drainingSince >= 0) {
        continue;
      }
      if (drains) {
        p.drainingSince = now;
        // Prefetched work goes back to the queue at once (a basic.recover / channel close on SIGTERM).
        requeueBuffered(p, now);
      } else {
        kill(p);
        pods.remove(i);
      }
      return;
    }
  }

  private void requeueBuffered(Pod p, double now) {
    for (int s = 0; s < Stages.NAMES.length; s++) {
      for (Job j : p.buffered.get(s)) {
        queues.get(s).addFirst(j);
      }
      p.buffered.get(s).clear();
    }
  }

  private void kill(Pod p) {
    if (p.busy() > 0) {
      podsKilledBusy++;
    }
    for (int s = 0; s < Stages.NAMES.length; s++) {
      for (Job j : p.running.get(s)) {
        j.lost = true;
        jobsLost++;
      }
      for (Job j : p.buffered.get(s)) {
        j.lost = true;
        jobsLost++;
      }
    }
  }

  /** Advances every pod by {@code dt}; {@code done} receives each job that finished its last stage. */
  void step(double now, double dt, Consumer<Job> done) {
    for (Iterator<Pod> it = pods.iterator(); it.hasNext(); ) {
      Pod p = it.next();
      podSeconds += dt;
      for (int s = Stages.NAMES.length - 1; s >= 0; s--) {
        List<Job> run = p.running.get(s);
        for (Iterator<Job> jt = run.iterator(); jt.hasNext(); ) {
          Job j = jt.next();
          j.remaining -= dt;
          if (j.remaining <= 0) {
            jt.remove();
            completed[s]++;
            busy[s] += now - j.started;
            if (s + 1 < Stages.NAMES.length) {
              j.stage = s + 1;
              j.enqueued = now;
              queues.get(s + 1).addLast(j);
            } else {
              done.accept(j);
            }
          }
        }
      }
      if (p.drainingSince >= 0) {
        if (p.busy() == 0) {
          it.remove();
        } else if (now - p.drainingSince >= config.graceSeconds()) {
          kill(p);
          it.remove();
        }
      }
    }
    dispatch(now);
  }

  // Pods take work round-robin, one message at a time, so that no pod hogs a queue.
  private void dispatch(double now) {
    for (int s = Stages.NAMES.length - 1; s >= 0; s--) {
      ArrayDeque<Job> q = queues.get(s);
      boolean progress = true;
      while (progress) {
        progress = false;
        for (Pod p : pods) {
          if (p.readyAt > now || p.drainingSince >= 0) {
            continue;
          }
          List<Job> run = p.running.get(s);
          ArrayDeque<Job> buf = p.buffered.get(s);
          if (run.size() < config.podConcurrency() && (!buf.isEmpty() || !q.isEmpty())) {
            start(buf.isEmpty() ? q.pollFirst() : buf.pollFirst(), run, now);
            progress = true;
          } else if (buf.size() < prefetch && !q.isEmpty()) {
            buf.addLast(q.pollFirst());
            progress = true;
          }
        }
      }
    }
  }

  private void start(Job j, List<Job> run, double now) {
    j.queueSeconds += now - j.enqueued;
    j.started = now;
    j.remaining = Stages.serviceSeconds(j.stage, random);
    run.add(j);
  }
}
