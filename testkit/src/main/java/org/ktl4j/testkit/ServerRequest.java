package org.ktl4j.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.platform.commons.support.AnnotationSupport;
import org.ktl4j.embedded.RedisBinary;

/**
 * What a test class asked for in {@link RedisOptions}, parsed and checked.
 *
 * @param name used in log file names: the class name without its package, nested classes joined with '.'
 */
record ServerRequest(
        String name,
        Optional<String> password,
        List<User> users,
        List<String> args,
        Optional<String> notifyKeyspaceEvents,
        Optional<String> minimumVersion,
        RedisOptions.Tls tls) {

    /** An ACL user from {@code "name:password"}. */
    record User(String name, String password) {
    }

    ServerRequest {
        users = List.copyOf(users);
        args = List.copyOf(args);
    }

    /** A request without a minimum version or TLS. */
    ServerRequest(String name, Optional<String> password, List<User> users, List<String> args,
            Optional<String> notifyKeyspaceEvents) {
        this(name, password, users, args, notifyKeyspaceEvents, Optional.empty(), RedisOptions.Tls.OFF);
    }

    static ServerRequest of(Class<?> testClass) {
        String name = testClass.getName().substring(testClass.getPackageName().isEmpty() ? 0
                : testClass.getPackageName().length() + 1).replace('$', '.');
        Optional<RedisOptions> found = AnnotationSupport.findAnnotation(testClass, RedisOptions.class);
        if (found.isEmpty()) {
            return new ServerRequest(name, Optional.empty(), List.of(), List.of(), Optional.empty());
        }
        RedisOptions options = found.get();
        List<User> users = new ArrayList<>();
        for (String user : options.users()) {
            int colon = user.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("@RedisOptions(users) on " + testClass.getName()
                        + ": expected \"name:password\", got \"" + user + "\"");
            }
            users.add(new User(user.substring(0, colon), user.substring(colon + 1)));
        }
        return new ServerRequest(name, nonEmpty(options.password()), users, List.of(options.args()),
                nonEmpty(options.notifyKeyspaceEvents()), nonEmpty(options.minimumVersion().strip()), options.tls());
    }

    /** Whether only a server started for this class can satisfy it (a shared external one cannot). */
    boolean needsOwnServer() {
        return password.isPresent() || !users.isEmpty() || !args.isEmpty() || tls != RedisOptions.Tls.OFF;
    }

    /** Whether a server of {@code version} (e.g. {@code "6.2.11"}) is new enough for this request. */
    boolean acceptsVersion(String version) {
        return minimumVersion.isEmpty() || RedisBinary.compareVersions(version, minimumVersion.get()) >= 0;
    }

    /** Aborts (skips) the class unless {@link #acceptsVersion} holds for {@code description}'s {@code version}. */
    void requireVersion(String version, String description) {
        Assumptions.assumeTrue(acceptsVersion(version), () -> name + " needs Redis " + minimumVersion.orElse("")
                + " or newer (@RedisOptions minimumVersion), but the test server is " + description);
    }

    /** The options as {@code redis-server} arguments, for servers not started through {@code EmbeddedRedis}. */
    List<String> serverArguments() {
        List<String> arguments = new ArrayList<>();
        notifyKeyspaceEvents.ifPresent(flags -> arguments.addAll(List.of("--notify-keyspace-events", flags)));
        password.ifPresent(secret -> arguments.addAll(List.of("--requirepass", secret)));
        for (User user : users) {
            arguments.addAll(List.of("--user", user.name(), "on", ">" + user.password(), "~*", "&*", "+@all"));
        }
        arguments.addAll(args);
        return arguments;
    }

    private static Optional<String> nonEmpty(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
