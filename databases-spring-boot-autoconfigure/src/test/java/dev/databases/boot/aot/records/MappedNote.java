package dev.databases.boot.aot.records;

/**
 * A record in an application package, as rows are mapped to.
 *
 * @param id the key
 * @param text the text
 */
public record MappedNote(long id, String text) {

}
