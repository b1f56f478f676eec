package org.ktl4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceNamesTest {

    private static final String VALID = "[a-z][a-z0-9_.-]{0,63}";

    @ParameterizedTest
    @ValueSource(strings = {"motor", "Motor X", "9lives", "", "ünïcode", "a.b-c_d",
            "a-very-long-service-name-that-goes-on-and-on-and-on-well-past-sixty-four-characters"})
    void anyBaseGivesAValidName(String base) {
        for (boolean shared : new boolean[] {false, true}) {
            String name = ServiceNames.next(base, shared);
            assertTrue(name.matches(VALID), name);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void namesAreNeverRepeated(boolean shared) {
        assertNotEquals(ServiceNames.next("svc", shared), ServiceNames.next("svc", shared));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void namesOnASharedServerCarryTheRunId(boolean shared) {
        String name = ServiceNames.next("svc", shared);
        assertEquals(shared ? 3 : 2, name.split("_").length, name);
    }
}
