using System;

namespace IoTSec.Protocol.Cbor
{
    /// <summary>
    /// Malformed, unsupported or non-deterministic CBOR, or a misuse of <see cref="CborWriter"/>.
    /// The only exception the reader throws for bad input.
    /// </summary>
#pragma warning disable CA1032 // Standard constructors: a CborException without a reason and an offset would carry no diagnosis; mscorlib v1 has no serialization constructor either.
    public sealed class CborException : Exception
#pragma warning restore CA1032
    {
        /// <summary>Creates the exception; the message names the reason and the offset.</summary>
        /// <param name="reason">Why the input or the call was refused.</param>
        /// <param name="offset">For the reader, the index in its buffer of the offending byte or item; for the writer, its output position.</param>
        /// <param name="detail">A human-readable description of the problem.</param>
        public CborException(CborError reason, int offset, string detail)
            : base("CBOR " + ReasonName(reason) + " at offset " + offset.ToString() + ": " + detail)
        {
            Reason = reason;
            Offset = offset;
        }

        /// <summary>Why the input or the call was refused.</summary>
        public CborError Reason { get; }

        /// <summary>
        /// For the reader, the index in the buffer it was given (not relative to its start
        /// offset) of the offending item or byte; for the writer, its output position.
        /// </summary>
        public int Offset { get; }

        // Enum.ToString on mscorlib v1 prints the number only; logs need the name.
        private static string ReasonName(CborError reason)
        {
            switch (reason)
            {
                case CborError.Truncated: return "Truncated";
                case CborError.IndefiniteLength: return "IndefiniteLength";
                case CborError.ReservedAdditionalInfo: return "ReservedAdditionalInfo";
                case CborError.NonShortestEncoding: return "NonShortestEncoding";
                case CborError.DuplicateMapKey: return "DuplicateMapKey";
                case CborError.MapKeyOutOfOrder: return "MapKeyOutOfOrder";
                case CborError.NestingTooDeep: return "NestingTooDeep";
                case CborError.UnsupportedSimpleValue: return "UnsupportedSimpleValue";
                case CborError.UnsupportedFloat: return "UnsupportedFloat";
                case CborError.InvalidUtf8: return "InvalidUtf8";
                case CborError.TrailingBytes: return "TrailingBytes";
                case CborError.UnexpectedType: return "UnexpectedType";
                case CborError.IntegerOverflow: return "IntegerOverflow";
                case CborError.ContainerIncomplete: return "ContainerIncomplete";
                case CborError.TooManyItems: return "TooManyItems";
                case CborError.InvalidUtf16: return "InvalidUtf16";
                default: return "Error" + ((int)reason).ToString();
            }
        }
    }
}
