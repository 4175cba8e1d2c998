package dev.databases.internal.url;

/**
 * An option of a URL that its database does not accept, raised below the API so that
 * {@code dev.databases} can report it as its own {@code InvalidOptionException} with this
 * very message.
 */
public final class UrlOptionException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String option;

	/**
	 * Create an exception.
	 * @param option the option's name as the user spells it
	 * @param message the whole message, naming the option and what is accepted
	 */
	public UrlOptionException(String option, String message) {
		super(message);
		this.option = option;
	}

	/**
	 * The option at fault.
	 * @return its name
	 */
	public String option() {
		return this.option;
	}

}
