package dev.databases.sample;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /notes}.
 *
 * @param text the text; blank or longer than the column allows is rejected before any SQL
 * runs
 * @since 0.1.0
 */
public record NewNote(@NotBlank @Size(max = 100) @Nullable String text) {

}
