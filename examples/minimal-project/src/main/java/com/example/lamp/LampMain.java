package com.example.lamp;

import org.ktl4j.client.Service;
import org.ktl4j.dispatcher.DispatcherService;

/**
 * Serves the service "lamp" and uses it, in one program: a dispatcher (the library that owns the keywords) and a
 * client (what any other program, or the ktl command, would do). Redis is at KTL_REDIS_URL, else localhost:6379.
 */
public final class LampMain {

    private LampMain() {
    }

    public static void main(String[] args) throws Exception {
        try (DispatcherService lamp = DispatcherService.builder("lamp")
                .bundle(LampSetup.bundle())
                .setup(new LampSetup())
                .build()) {
            lamp.start(); // returns once the service is ready

            try (Service client = Service.open("lamp")) {
                client.keyword("POWER").write("on");       // blocks until the dispatcher has stored it
                client.keyword("BRIGHTNESS").write("40");
                System.out.println("BRIGHTNESS = " + client.keyword("BRIGHTNESS").readAscii() + " %");
            }
        } // close(): finishes running writes and releases the service
    }
}
