using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// The chain link of a heartbeat: SHA-256 over its whole encoding (body and MAC, exactly
    /// as sent). The next heartbeat carries it as its previous digest.
    /// </summary>
    /// <remarks>
    /// Why over the MAC too: the link then commits to the heartbeat as authenticated, and two
    /// heartbeats differ in their links whenever their bytes differ at all. A replay (the same
    /// bytes again) has the same link; a clone's heartbeat with the same sequence has another.
    /// </remarks>
    public static class HeartbeatLink
    {
        /// <summary>The link of an encoded heartbeat, with the portable SHA-256.</summary>
        /// <param name="encoded">The heartbeat as sent.</param>
        /// <returns>A new 32-byte array.</returns>
        public static byte[] Compute(byte[] encoded)
        {
            if (encoded == null)
            {
                throw new System.ArgumentNullException("encoded");
            }

            return Compute(encoded, 0, encoded.Length, PortableDigests.Instance);
        }

        /// <summary>The link of an encoded heartbeat.</summary>
        /// <param name="buffer">Holds the heartbeat.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length.</param>
        /// <param name="provider">Where SHA-256 comes from.</param>
        /// <returns>A new 32-byte array.</returns>
        public static byte[] Compute(byte[] buffer, int offset, int length, IDigestProvider provider)
        {
            MacEnvelope.CheckRange(buffer, offset, length);
            if (provider == null)
            {
                throw new System.ArgumentNullException("provider");
            }

            using (IHashAlgorithm sha = provider.CreateSha256())
            {
                sha.Update(buffer, offset, length);
                var digest = new byte[HeartbeatFormat.DigestLength];
                sha.Final(digest, 0);
                return digest;
            }
        }

        /// <summary>The previous digest of a chain's first heartbeat: 32 zero bytes.</summary>
        /// <returns>A new array.</returns>
        public static byte[] Genesis()
        {
            return new byte[HeartbeatFormat.DigestLength];
        }

        /// <summary>True when <paramref name="digest"/> is 32 zero bytes.</summary>
        /// <param name="digest">A previous digest.</param>
        /// <returns>True for the genesis marker.</returns>
        public static bool IsGenesis(byte[] digest)
        {
            if (digest == null || digest.Length != HeartbeatFormat.DigestLength)
            {
                return false;
            }

            int acc = 0;
            for (int i = 0; i < digest.Length; i++)
            {
                acc |= digest[i];
            }

            return acc == 0;
        }
    }
}
