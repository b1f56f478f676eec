package com.example.lamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.RefusedException;
import org.ktl4j.client.Service;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;

/** The lamp against a real redis-server that the testkit starts for this class (and stops after it). */
@ExtendWith(RedisExtension.class)
class LampTest {

    @Test
    void brightnessIsRefusedWhileTheLampIsOffAndStoredOnceItIsOn(RedisServer server) {
        try (RedisEndpoint redis = RedisEndpoint.open(RedisSettings.fromUri(server.url()));
                DispatcherService lamp = DispatcherService.builder("lamp").bundle(LampSetup.bundle())
                        .setup(new LampSetup()).endpoint(redis).build()) {
            lamp.start();
            try (Service client = Service.open("lamp", redis)) {
                RefusedException refused = assertThrows(RefusedException.class,
                        () -> client.keyword("BRIGHTNESS").write("40"));
                assertTrue(refused.getMessage().contains("the lamp is off"), refused.getMessage());

                client.keyword("POWER").write("on");
                client.keyword("BRIGHTNESS").write("40");

                assertEquals("40", client.keyword("BRIGHTNESS").readAscii());
            }
        }
    }
}
