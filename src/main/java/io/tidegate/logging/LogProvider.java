package io.tidegate.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter;

/**
 * SLF4J's binding to logback, configured by {@link LogSetup} directly: what logback's own
 * {@code LogbackServiceProvider} does, without its {@code ContextInitializer}. That one looks
 * for configurators through a {@code ServiceLoader}, reads their annotations (loading Java's
 * annotation parser), reads the version files of logback's jars and compares them, times itself
 * with a string concatenation, and loads a date formatter to print its status: on the main
 * thread of every start, for one configurator known in advance. {@code Main} names this class in
 * SLF4J's {@code slf4j.provider} property, which also saves SLF4J's search of the class path for
 * providers (issue 19, ninth pass). Tests and tools that do not start through {@code Main} get
 * logback's provider, which finds {@link LogSetup} as a {@code Configurator}: the same settings.
 */
public final class LogProvider implements SLF4JServiceProvider {
    /** The SLF4J API version logback 1.5+ declares; SLF4J warns below 2.0. */
    private static final String API_VERSION = "2.0.99";
    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    @Override
    public void initialize() {
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        setup.configure(context);
        context.start();
        // what logback's provider prints after configuring: only a problem, never the routine
        if (new StatusUtil(context).getHighestLevel(0) >= Status.WARN) {
            StatusPrinter.printInCaseOfErrorsOrWarnings(context);
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return API_VERSION;
    }
}
