package dev.databases.internal.reactor;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * What the small operators of this package share: a subscriber that hands its own
 * subscription downstream and passes requests up. Each operator adds only what it does
 * with the signals and the cancel.
 *
 * @param <T> the type received
 * @param <R> the type passed downstream
 */
public abstract class PassThroughSubscriber<T, R> implements CoreSubscriber<T>, Subscription {

	/** The subscriber downstream. */
	protected final CoreSubscriber<? super R> actual;

	private volatile @Nullable Subscription upstream;

	/**
	 * @param actual the subscriber downstream
	 */
	protected PassThroughSubscriber(CoreSubscriber<? super R> actual) {
		this.actual = actual;
	}

	@Override
	public final Context currentContext() {
		return this.actual.currentContext();
	}

	@Override
	public final void onSubscribe(Subscription subscription) {
		if (Operators.validate(this.upstream, subscription)) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}
	}

	@Override
	public final void request(long n) {
		Subscription upstream = this.upstream;
		if (upstream != null) {
			upstream.request(n);
		}
	}

	/** Cancel the subscription upstream, if it has arrived. */
	protected final void cancelUpstream() {
		Subscription upstream = this.upstream;
		if (upstream != null) {
			upstream.cancel();
		}
	}

}
