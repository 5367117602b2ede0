using System;

namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// A DER input was refused. Carries the rule that was broken (<see cref="Reason"/>) and
    /// the byte offset where it was found, so a malformed certificate can be reported
    /// precisely without logging its contents.
    /// </summary>
    public sealed class DerException : Exception
    {
        /// <summary>Creates the exception for a refused input.</summary>
        /// <param name="reason">The rule the input broke.</param>
        /// <param name="offset">Byte offset in the input buffer (character offset for PEM text).</param>
        /// <param name="detail">What was found, for a human reader.</param>
        public DerException(DerError reason, int offset, string detail)
            : base("DER " + ReasonName(reason) + " at offset " + offset.ToString() + ": " + detail)
        {
            Reason = reason;
            Offset = offset;
        }

        /// <summary>The rule the input broke.</summary>
        public DerError Reason { get; }

        /// <summary>Byte offset in the input buffer where the problem was found.</summary>
        public int Offset { get; }

        /// <summary>
        /// The reason's name. Spelled out because nanoFramework's Enum.ToString prints the
        /// number, and the message must read the same on the device and the gateway.
        /// </summary>
        /// <param name="reason">A reason code.</param>
        /// <returns>The enum member's name, or the number for an unknown value.</returns>
        public static string ReasonName(DerError reason)
        {
            switch (reason)
            {
                case DerError.Truncated: return "Truncated";
                case DerError.IndefiniteLength: return "IndefiniteLength";
                case DerError.NonMinimalLength: return "NonMinimalLength";
                case DerError.LengthTooLarge: return "LengthTooLarge";
                case DerError.UnexpectedTag: return "UnexpectedTag";
                case DerError.HighTagNumber: return "HighTagNumber";
                case DerError.NonMinimalInteger: return "NonMinimalInteger";
                case DerError.InvalidInteger: return "InvalidInteger";
                case DerError.IntegerOutOfRange: return "IntegerOutOfRange";
                case DerError.InvalidOid: return "InvalidOid";
                case DerError.InvalidTime: return "InvalidTime";
                case DerError.InvalidBitString: return "InvalidBitString";
                case DerError.InvalidBoolean: return "InvalidBoolean";
                case DerError.InvalidNull: return "InvalidNull";
                case DerError.InvalidString: return "InvalidString";
                case DerError.TrailingData: return "TrailingData";
                case DerError.NestingTooDeep: return "NestingTooDeep";
                case DerError.InvalidVersion: return "InvalidVersion";
                case DerError.SignatureAlgorithmMismatch: return "SignatureAlgorithmMismatch";
                case DerError.DuplicateExtension: return "DuplicateExtension";
                case DerError.InvalidStructure: return "InvalidStructure";
                case DerError.InvalidPem: return "InvalidPem";
                default: return ((int)reason).ToString();
            }
        }
    }
}
