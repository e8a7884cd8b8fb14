/*
 * delivery.h — what a sender (mail.c, sms.c) says of one item it tried to
 * deliver, so that the outbox can decide: done, again later, never, or
 * stop the run because the server is not there.
 */
#ifndef PARTAKE_DELIVERY_H
#define PARTAKE_DELIVERY_H

enum delivery {
	DELIVERED,	/* the server took it */
	DELIVERY_RETRY,	/* a temporary refusal: try this item again later */
	DELIVERY_FAILED,	/* refused for good (a bad address): do not try again */
	DELIVERY_DOWN,	/* the server cannot be reached or stops us (no credit): end the run */
};

#endif
