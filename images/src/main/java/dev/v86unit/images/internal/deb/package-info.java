/** Reading Debian binary packages ({@code .deb}: an ar archive around compressed tar files) in Java. */
package dev.v86unit.images.internal.deb;
