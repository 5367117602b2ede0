namespace IoTSec.Firmware.Http
{
    /// <summary>A parsed Content-Range header (RFC 9110 §14.4): <c>bytes first-last/complete</c>, <c>bytes first-last/*</c> or <c>bytes */complete</c>.</summary>
    public sealed class ContentRange
    {
        private ContentRange(long first, long last, long completeLength)
        {
            First = first;
            Last = last;
            CompleteLength = completeLength;
        }

        /// <summary>First byte sent, or -1 for an unsatisfied range (<c>bytes */N</c>).</summary>
        public long First { get; private set; }

        /// <summary>Last byte sent (inclusive), or -1 for an unsatisfied range.</summary>
        public long Last { get; private set; }

        /// <summary>The whole representation's length, or -1 when the server said <c>*</c>.</summary>
        public long CompleteLength { get; private set; }

        /// <summary>Whether this is the <c>bytes */N</c> form of a 416 response.</summary>
        public bool IsUnsatisfied
        {
            get { return First < 0; }
        }

        /// <summary>Parses a header value.</summary>
        /// <param name="value">The value, e.g. "bytes 0-1023/4096".</param>
        /// <returns>The range, or null when the value is not one of the three forms (or its numbers do not fit together).</returns>
        public static ContentRange Parse(string value)
        {
            if (value == null || value.Length < 9 || value.Substring(0, 6) != "bytes ")
            {
                return null;
            }

            int slash = value.IndexOf('/');
            if (slash < 0)
            {
                return null;
            }

            string range = value.Substring(6, slash - 6);
            string complete = value.Substring(slash + 1);
            long completeLength = complete == "*" ? -1 : HttpResponseReader.ParseDecimal(complete);
            if (complete != "*" && completeLength < 0)
            {
                return null;
            }

            if (range == "*")
            {
                return completeLength < 0 ? null : new ContentRange(-1, -1, completeLength);
            }

            int dash = range.IndexOf('-');
            if (dash <= 0)
            {
                return null;
            }

            long first = HttpResponseReader.ParseDecimal(range.Substring(0, dash));
            long last = HttpResponseReader.ParseDecimal(range.Substring(dash + 1));
            if (first < 0 || last < first || (completeLength >= 0 && last >= completeLength))
            {
                return null;
            }

            return new ContentRange(first, last, completeLength);
        }
    }
}
