package org.opencallback.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine's outbox: in order, one at a time; reports queued one behind the other run together. */
class SerialExecutorTest {
  /** A report-like task: runs alone or in a batch, recording how. */
  private record Task(String name, List<String> runs) implements SerialExecutor.Batchable {
    @Override
    public void run() {
      runs.add(name);
    }

    @Override
    public Object key() {
      return name;
    }

    @Override
    public void runAll(List<SerialExecutor.Batchable> batch) {
      runs.add(String.join("+", batch.stream().map(task -> ((Task) task).name).toList()));
    }
  }

  @Test
  void batchable_tasks_queued_one_behind_the_other_run_together_in_order_with_distinct_keys() throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      SerialExecutor outbox = new SerialExecutor(thread);
      List<String> runs = new ArrayList<>();
      CountDownLatch gate = new CountDownLatch(1);
      // the first task holds the outbox while the others queue up behind it
      outbox.execute(() -> {
        try {
          gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      for (String key : List.of("a", "b", "c", "a", "d")) {
        outbox.execute(new Task(key, runs));
      }
      outbox.execute(() -> runs.add("event"));
      outbox.execute(new Task("e", runs));
      for (int i = 0; i < SerialExecutor.MAX_BATCH + 1; i++) {
        outbox.execute(new Task("k" + i, runs));
      }
      CountDownLatch done = new CountDownLatch(1);
      outbox.execute(done::countDown);
      gate.countDown();
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

      // "a" again ends a batch (a callback's reports stay one after the other); a task of another
      // kind is never jumped over; a batch holds at most MAX_BATCH
      assertThat(runs.subList(0, 4)).containsExactly("a+b+c", "a+d", "event", "e+k0+k1+k2+k3+k4+k5+k6+k7+k8+k9+k10"
          + "+k11+k12+k13+k14+k15+k16+k17+k18+k19+k20+k21+k22+k23+k24+k25+k26+k27+k28+k29+k30+k31+k32+k33+k34+k35"
          + "+k36+k37+k38+k39+k40+k41+k42+k43+k44+k45+k46+k47+k48+k49+k50+k51+k52+k53+k54+k55+k56+k57+k58+k59+k60"
          + "+k61+k62");
      assertThat(runs.subList(4, runs.size())).containsExactly("k63+k64");
    } finally {
      thread.shutdownNow();
    }
  }
}
