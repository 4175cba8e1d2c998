package dev.databases;

/**
 * An option of a database URL or of {@link Database.Builder#option} has a value the
 * library does not accept, or is not accepted where it was given. The message names the
 * option, the value and what is accepted; {@link #option()} names the option for tools
 * (such as the Spring Boot starter) that point at where it was set.
 */
public class InvalidOptionException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String option;

	/**
	 * Create an exception.
	 * @param option the option's name as the user spells it ({@code max_size})
	 * @param message the whole message, naming the option, the value and what is accepted
	 */
	public InvalidOptionException(String option, String message) {
		super(message);
		this.option = option;
	}

	/**
	 * The option at fault.
	 * @return its name as the user spells it
	 */
	public String option() {
		return this.option;
	}

}
