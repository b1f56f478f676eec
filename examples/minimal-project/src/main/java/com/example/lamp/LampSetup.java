package com.example.lamp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.ktl4j.definition.Bundle;
import org.ktl4j.definition.KtlXmlBundle;
import org.ktl4j.definition.KtlXmlException;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.dispatcher.ServiceSetup;

/** The behaviour of the service "lamp": BRIGHTNESS is refused while POWER is off. */
public final class LampSetup implements ServiceSetup {

    private volatile boolean on; // the lamp itself: POWER is initially off

    /** The keywords, from lamp/lamp.xml on the class path. */
    public static Bundle bundle() {
        try (InputStream in = LampSetup.class.getResourceAsStream("/lamp/lamp.xml")) {
            return KtlXmlBundle.load(in, "lamp.xml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (KtlXmlException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void setup(DispatcherService lamp) {
        // write hooks drive the hardware; the value is stored (and the writer told "done") once they return
        lamp.keyword("POWER").onWrite(value -> on = value.asBoolean());
        lamp.keyword("BRIGHTNESS").onWrite(value -> System.out.println("lamp: dimming to " + value.ascii() + " %"));
        // a check hook refuses a write before anything happens: the writer gets REJECTED with this message
        lamp.keyword("BRIGHTNESS").onCheck(value -> {
            if (!on) {
                throw new IllegalArgumentException("the lamp is off: set POWER=on first");
            }
        });
    }
}
