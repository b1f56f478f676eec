package org.ktl4j.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The immutable settings of one {@link EmbeddedRedis}, and how they map to {@code redis-server} arguments.
 *
 * @param requestedPort 0 for any free port, else exactly this port
 * @param preferredPort 0 for none, else tried first with fallback to a free port
 */
record ServerConfig(
        Optional<RedisBinary> binary,
        int requestedPort,
        int preferredPort,
        Optional<Path> workDirectory,
        Optional<Path> logDirectory,
        String name,
        Optional<String> notifyKeyspaceEvents,
        Optional<String> password,
        List<User> users,
        List<String> extraArgs,
        Duration startTimeout,
        Duration stopTimeout,
        boolean keepFiles,
        boolean killOnJvmExit) {

    /** An ACL user with full access to keys, channels and commands. */
    record User(String name, String password) {
    }

    ServerConfig {
        users = List.copyOf(users);
        extraArgs = List.copyOf(extraArgs);
    }

    /** The full command line for a server on {@code port} with data in {@code workDirectory}; logs go to stdout. */
    List<String> command(RedisBinary redis, int port, Path workDirectory) {
        List<String> command = new ArrayList<>(List.of(
                redis.path().toString(),
                "--port", Integer.toString(port),
                "--bind", LoopbackPorts.HOST,
                "--dir", workDirectory.toString(),
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--logfile", ""));
        notifyKeyspaceEvents.ifPresent(flags -> command.addAll(List.of("--notify-keyspace-events", flags)));
        password.ifPresent(secret -> command.addAll(List.of("--requirepass", secret)));
        for (User user : users) {
            // '&*' (channel patterns) is Redis 6.2+; Redis 7 no longer grants channels by default, so it is spelled out.
            command.addAll(List.of("--user", user.name(), "on", ">" + user.password(), "~*", "&*", "+@all"));
        }
        command.addAll(extraArgs);
        return command;
    }
}
