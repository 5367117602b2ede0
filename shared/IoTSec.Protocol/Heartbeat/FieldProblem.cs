namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>What <see cref="FieldMap"/> found wrong; each public decoder maps it to its own reason enum.</summary>
    internal enum FieldProblem
    {
        /// <summary>Not well-formed deterministic CBOR, or not a map of the expected shape.</summary>
        Malformed = 1,

        /// <summary>A required key is absent.</summary>
        Missing = 2,

        /// <summary>A value has the wrong type, size or range.</summary>
        Invalid = 3,

        /// <summary>A key this version does not define.</summary>
        Unknown = 4,
    }

    /// <summary>
    /// Internal to the decoders of this assembly: thrown by <see cref="FieldMap"/> and caught by
    /// each public decoder, which rethrows its own typed exception. Never escapes the library.
    /// </summary>
    internal sealed class FieldException : System.Exception
    {
        internal FieldException(FieldProblem problem, string message)
            : base(message)
        {
            Problem = problem;
        }

        internal FieldProblem Problem { get; }
    }
}
