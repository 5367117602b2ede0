using System;

namespace IoTSec.Protocol.Rsa
{
    /// <summary>An RSA public key, or its encoding, was refused; <see cref="Reason"/> says why.</summary>
#pragma warning disable CA1032 // Standard constructors: an RsaKeyException without a reason carries no diagnosis; mscorlib v1 has no serialization constructor either.
    public class RsaKeyException : Exception
#pragma warning restore CA1032
    {
        /// <summary>Creates the exception; the message names the reason.</summary>
        /// <param name="reason">Why the key was refused.</param>
        /// <param name="detail">A human-readable description.</param>
        public RsaKeyException(RsaKeyRejection reason, string detail)
            : base("RSA key refused (" + ReasonName(reason) + "): " + detail)
        {
            Reason = reason;
        }

        /// <summary>Why the key was refused.</summary>
        public RsaKeyRejection Reason { get; }

        /// <summary>The reason's name (Enum.ToString on mscorlib v1 prints the number only).</summary>
        /// <param name="reason">A reason.</param>
        /// <returns>Its name.</returns>
        public static string ReasonName(RsaKeyRejection reason)
        {
            switch (reason)
            {
                case RsaKeyRejection.Malformed: return "Malformed";
                case RsaKeyRejection.UnsupportedKeyType: return "UnsupportedKeyType";
                case RsaKeyRejection.UnsupportedAlgorithm: return "UnsupportedAlgorithm";
                case RsaKeyRejection.UnsupportedKeySize: return "UnsupportedKeySize";
                case RsaKeyRejection.UnsupportedExponent: return "UnsupportedExponent";
                case RsaKeyRejection.InvalidModulus: return "InvalidModulus";
                default: return "Reason" + ((int)reason).ToString();
            }
        }
    }
}
