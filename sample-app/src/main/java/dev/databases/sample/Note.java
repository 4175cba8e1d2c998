package dev.databases.sample;

/**
 * A note, as stored in the {@code notes} table and as the API returns it.
 *
 * @param id the generated key
 * @param text the text, at most 100 characters
 * @param completed whether the note is done
 * @since 0.1.0
 */
public record Note(long id, String text, boolean completed) {

}
