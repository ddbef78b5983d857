/**
 * Feed sources and the ingress ring they write. Owns the UDP feed socket, the feed's sequence tracking and its
 * instrument-to-sid map, all touched only by the feed handler's thread; the embedded simulator's bridge is touched
 * only by tickgate-simulator. Both are producers of the many-to-one ingress ring (layout in
 * {@link io.tickgate.gateway.feed.TickRecordDescriptor}), whose one consumer is the conflator.
 */
package io.tickgate.gateway.feed;
