package io.panamax;

/**
 * What changed in a buffer since its callbacks last ran (libevent's {@code struct evbuffer_cb_info}).
 * <p>
 * <b>Thread-safety:</b> a reused object, valid only during the callback that receives it.
 */
public final class EvBufferCbInfo
{
    long origSize;
    long nAdded;
    long nDeleted;

    EvBufferCbInfo()
    {
    }

    /**
     * @return the length when the callbacks last ran.
     */
    public long origSize()
    {
        return origSize;
    }

    /**
     * @return bytes added since then.
     */
    public long nAdded()
    {
        return nAdded;
    }

    /**
     * @return bytes deleted since then.
     */
    public long nDeleted()
    {
        return nDeleted;
    }

    @Override
    public String toString()
    {
        return "EvBufferCbInfo[origSize=" + origSize + ", nAdded=" + nAdded + ", nDeleted=" + nDeleted + "]";
    }
}
