/**
 * Panamax: libevent's event loop, evbuffers and bufferevents on the Foreign Function &amp; Memory API.
 */
module io.panamax.engine
{
    requires io.panamax.ffm;
    requires org.agrona;
    requires jdk.unsupported;

    exports io.panamax;
}
