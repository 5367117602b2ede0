using System;

namespace IoTSec.Protocol.Cose
{
    /// <summary>A COSE_Sign1 message was refused; <see cref="Reason"/> says why.</summary>
#pragma warning disable CA1032 // Standard constructors: a refusal without a reason carries no diagnosis; mscorlib v1 has no serialization constructor either.
    public class CoseRejectedException : Exception
#pragma warning restore CA1032
    {
        /// <summary>Creates the exception; the message names the reason.</summary>
        /// <param name="reason">Why the message was refused.</param>
        /// <param name="detail">A human-readable description.</param>
        public CoseRejectedException(CoseRejection reason, string detail)
            : base("COSE_Sign1 refused (" + ReasonName(reason) + "): " + detail)
        {
            Reason = reason;
            Detail = detail;
        }

        /// <summary>Why the message was refused.</summary>
        public CoseRejection Reason { get; }

        /// <summary>The description without the reason prefix, for wrapping into a format's own exception.</summary>
        public string Detail { get; }

        /// <summary>The reason's name (Enum.ToString on mscorlib v1 prints the number only).</summary>
        /// <param name="reason">A reason.</param>
        /// <returns>Its name.</returns>
        public static string ReasonName(CoseRejection reason)
        {
            switch (reason)
            {
                case CoseRejection.Malformed: return "Malformed";
                case CoseRejection.MissingAlgorithm: return "MissingAlgorithm";
                case CoseRejection.UnsupportedAlgorithm: return "UnsupportedAlgorithm";
                case CoseRejection.UnsupportedCriticalHeader: return "UnsupportedCriticalHeader";
                case CoseRejection.MissingKeyId: return "MissingKeyId";
                case CoseRejection.UnknownKey: return "UnknownKey";
                case CoseRejection.BadSignature: return "BadSignature";
                case CoseRejection.WrongContentType: return "WrongContentType";
                default: return "Reason" + ((int)reason).ToString();
            }
        }
    }
}
