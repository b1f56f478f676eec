package com.example.lamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ktl4j.RefusedException;
import org.ktl4j.client.Service;
import org.ktl4j.junit.KtlServiceTest;

/** The lamp's dispatcher, tested against a real redis-server that ktl4j-junit starts for this class. */
@KtlServiceTest(service = "lamp", bundle = "lamp/lamp.xml", setup = LampSetup.class)
class LampTest {

    @Test
    void brightnessIsRefusedWhileTheLampIsOffAndStoredOnceItIsOn(Service lamp) {
        RefusedException refused = assertThrows(RefusedException.class,
                () -> lamp.keyword("BRIGHTNESS").write("40"));
        assertTrue(refused.getMessage().contains("the lamp is off"), refused.getMessage());

        lamp.keyword("POWER").write("on");
        lamp.keyword("BRIGHTNESS").write("40");

        assertEquals("40", lamp.keyword("BRIGHTNESS").readAscii());
    }
}
