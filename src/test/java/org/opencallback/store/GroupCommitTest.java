package org.opencallback.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
  private final ServiceLocks locks = new ServiceLocks();
  private final GroupCommit<Item> commit = new GroupCommit<>(locks);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<List<String>> groups = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  static final class Item extends GroupCommit.Pending {
    final String name;

    Item(String name) {
      this.name = name;
    }
  }

  private Consumer<List<Item>> recording(CountDownLatch release) {
    return group -> {
      groups.add(group.stream().map(i -> i.name).toList());
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      group.forEach(i -> i.finish(i.name.startsWith("bad") ? new IllegalArgumentException(i.name) : null));
    };
  }

  @Test
  void createsArrivingWhileAGroupIsWrittenGoTogetherInTheNext() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<?> first = pool.submit(() -> commit.submit("svc", new Item("first"), recording(release)));
    await().atMost(Duration.ofSeconds(10)).until(() -> groups.size() == 1);
    List<Future<?>> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String name = "w" + i;
      waiting.add(pool.submit(() -> commit.submit("svc", new Item(name), recording(release))));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> commit.waiting("svc") == 10);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (Future<?> f : waiting) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0)).containsExactly("first");
    assertThat(groups.get(1)).hasSize(10).containsExactlyInAnyOrder(
        "w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9");
  }

  @Test
  void eachMemberGetsItsOwnOutcome() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<?> first = pool.submit(() -> commit.submit("svc", new Item("first"), recording(release)));
    await().atMost(Duration.ofSeconds(10)).until(() -> groups.size() == 1);
    Future<?> good = pool.submit(() -> commit.submit("svc", new Item("good"), recording(release)));
    Future<?> bad = pool.submit(() -> commit.submit("svc", new Item("bad-one"), recording(release)));
    await().atMost(Duration.ofSeconds(10)).until(() -> commit.waiting("svc") == 2);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    good.get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad-one");
  }

  @Test
  void aWriterThatBreaksOffFailsItsGroupAndLeavesNobodyWaiting() throws Exception {
    Consumer<List<Item>> broken = group -> {
      throw new AssertionError("broken writer");
    };
    assertThatThrownBy(() -> commit.submit("svc", new Item("x"), broken))
        .isInstanceOf(IllegalStateException.class).hasRootCauseMessage("broken writer");
    // the next create of the stripe is served normally
    CountDownLatch open = new CountDownLatch(0);
    commit.submit("svc", new Item("y"), recording(open));
    assertThat(groups).containsExactly(List.of("y"));
  }

  @Test
  void groupsAreBounded() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Future<?> first = pool.submit(() -> commit.submit("svc", new Item("first"), recording(release)));
    await().atMost(Duration.ofSeconds(10)).until(() -> groups.size() == 1);
    int many = GroupCommit.MAX_GROUP + 10;
    List<Future<?>> waiting = new ArrayList<>();
    for (int i = 0; i < many; i++) {
      String name = "m" + i;
      waiting.add(pool.submit(() -> commit.submit("svc", new Item(name), recording(release))));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> commit.waiting("svc") == many);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (Future<?> f : waiting) {
      f.get(20, TimeUnit.SECONDS);
    }
    assertThat(groups).allSatisfy(g -> assertThat(g.size()).isLessThanOrEqualTo(GroupCommit.MAX_GROUP));
    assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(many + 1);
  }
}
