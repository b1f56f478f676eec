package org.ktl4j.embedded;

import java.util.concurrent.CountDownLatch;

/**
 * The JVM that {@link ExitCleanupTest} starts, signals and kills: starts one {@link EmbeddedRedis}, prints
 * {@code READY <jvm pid> <redis pid> <work directory>}, then, by mode:
 * <ul>
 *   <li>{@code wait}: serves until a signal ends the JVM (the default exit hook kills Redis);</li>
 *   <li>{@code owner-hook}: like the CLI, the server is built with {@code killOnJvmExit(false)} and the JVM's own
 *       shutdown hook closes it and then calls {@code Runtime.halt(0)}, so no later hook or {@code deleteOnExit} runs;
 *       serves until a signal;</li>
 *   <li>{@code return}: returns from {@code main} with the server still running (normal JVM exit).</li>
 * </ul>
 */
public final class ExitCleanupChild {

    private ExitCleanupChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        String mode = args[0];
        boolean ownerHook = mode.equals("owner-hook");
        EmbeddedRedis redis = EmbeddedRedis.builder().name("exit-cleanup").killOnJvmExit(!ownerHook).start();
        if (ownerHook) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                redis.close();
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }, "owner-shutdown"));
        }
        System.out.println("READY " + ProcessHandle.current().pid() + " " + redis.pid() + " " + redis.workDirectory());
        System.out.flush();
        if (!mode.equals("return")) {
            new CountDownLatch(1).await(); // until a signal ends the JVM
        }
    }
}
