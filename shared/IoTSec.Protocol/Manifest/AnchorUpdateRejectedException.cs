using System;

namespace IoTSec.Protocol.Manifest
{
    /// <summary>A trust-anchor update was refused; <see cref="Reason"/> says why. The only exception its decoder and verifier throw for outside input.</summary>
#pragma warning disable CA1032 // Standard constructors: a refusal without a reason carries no diagnosis; mscorlib v1 has no serialization constructor either.
    public class AnchorUpdateRejectedException : Exception
#pragma warning restore CA1032
    {
        /// <summary>Creates the exception; the message names the reason.</summary>
        /// <param name="reason">Why the update was refused.</param>
        /// <param name="detail">A human-readable description.</param>
        public AnchorUpdateRejectedException(AnchorUpdateRejection reason, string detail)
            : base("trust-anchor update refused (" + ReasonName(reason) + "): " + detail)
        {
            Reason = reason;
        }

        /// <summary>Why the update was refused.</summary>
        public AnchorUpdateRejection Reason { get; }

        /// <summary>The reason's name (Enum.ToString on mscorlib v1 prints the number only).</summary>
        /// <param name="reason">A reason.</param>
        /// <returns>Its name.</returns>
        public static string ReasonName(AnchorUpdateRejection reason)
        {
            switch (reason)
            {
                case AnchorUpdateRejection.Malformed: return "Malformed";
                case AnchorUpdateRejection.MissingAlgorithm: return "MissingAlgorithm";
                case AnchorUpdateRejection.UnsupportedAlgorithm: return "UnsupportedAlgorithm";
                case AnchorUpdateRejection.UnsupportedCriticalHeader: return "UnsupportedCriticalHeader";
                case AnchorUpdateRejection.MissingKeyId: return "MissingKeyId";
                case AnchorUpdateRejection.UnknownKey: return "UnknownKey";
                case AnchorUpdateRejection.BadSignature: return "BadSignature";
                case AnchorUpdateRejection.WrongContentType: return "WrongContentType";
                case AnchorUpdateRejection.SequenceTooOld: return "SequenceTooOld";
                case AnchorUpdateRejection.NoTrustedTime: return "NoTrustedTime";
                case AnchorUpdateRejection.Expired: return "Expired";
                case AnchorUpdateRejection.UnsupportedAnchorKind: return "UnsupportedAnchorKind";
                case AnchorUpdateRejection.InvalidAnchor: return "InvalidAnchor";
                default: return "Reason" + ((int)reason).ToString();
            }
        }
    }
}
