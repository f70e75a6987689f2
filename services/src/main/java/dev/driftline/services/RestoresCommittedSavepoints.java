package dev.driftline.services;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * A savepoint compatibility test: it runs once per committed fixture of the job {@link #value()}
 * ({@link SavepointFixture#committed}), given the fixture's directory and named by it, and not while
 * fixtures are being recorded ({@link SavepointFixture#RECORD_PROPERTY}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@ArgumentsSource(RestoresCommittedSavepoints.Fixtures.class)
@DisabledIfSystemProperty(named = SavepointFixture.RECORD_PROPERTY, matches = "true")
public @interface RestoresCommittedSavepoints {
  /** The job whose fixtures it restores. */
  String value();

  /** The committed fixture directories of the annotation's job. */
  final class Fixtures implements ArgumentsProvider, AnnotationConsumer<RestoresCommittedSavepoints> {
    private String job;

    @Override
    public void accept(RestoresCommittedSavepoints annotation) {
      job = annotation.value();
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context)
        throws Exception {
      return SavepointFixture.committed(job).stream().map(Arguments::of);
    }
  }
}
