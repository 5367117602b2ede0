using System;

namespace IoTSec.Protocol.Crypto
{
    /// <summary>Argument checks shared by the digest classes.</summary>
    internal static class CryptoArguments
    {
        /// <summary>
        /// Throws unless <paramref name="buffer"/> is non-null and holds
        /// <paramref name="count"/> bytes from <paramref name="offset"/>.
        /// </summary>
        /// <remarks>
        /// Written so no sum can overflow: both values are checked non-negative first, then
        /// compared by subtraction. An out-of-range request must surface as an argument error,
        /// never as IndexOutOfRangeException from deep inside a compression round.
        /// </remarks>
        internal static void CheckRange(byte[] buffer, int offset, int count, string name)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException(name);
            }

            if (offset < 0 || offset > buffer.Length)
            {
                throw new ArgumentOutOfRangeException(name, "Offset " + offset.ToString() + " is outside an array of " + buffer.Length.ToString() + " bytes.");
            }

            if (count < 0 || count > buffer.Length - offset)
            {
                throw new ArgumentOutOfRangeException(name, "Count " + count.ToString() + " from offset " + offset.ToString() + " runs past an array of " + buffer.Length.ToString() + " bytes.");
            }
        }
    }
}
