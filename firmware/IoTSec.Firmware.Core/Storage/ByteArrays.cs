namespace IoTSec.Firmware.Storage
{
    /// <summary>Comparing public byte arrays (key ids, manifests, public keys).</summary>
    internal static class ByteArrays
    {
        /// <summary>
        /// Whether both arrays hold the same bytes; false when either is null. Returns early, so
        /// never use it on a secret or a MAC: that is <c>IoTSec.Protocol.Crypto.ConstantTime</c>'s job.
        /// </summary>
        public static bool AreEqual(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
