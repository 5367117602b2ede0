using System.Collections;

namespace IoTSec.Firmware.Http
{
    /// <summary>The header (or trailer) lines of one response, read and checked against the limits.</summary>
    internal sealed class HeaderBlock
    {
        private readonly HttpLimits _limits;
        private readonly ArrayList _names = new ArrayList();
        private readonly ArrayList _values = new ArrayList();
        private int _bytes;

        public HeaderBlock(HttpLimits limits)
        {
            _limits = limits;
        }

        public int Count
        {
            get { return _names.Count; }
        }

        public string Name(int index)
        {
            return (string)_names[index];
        }

        public string Value(int index)
        {
            return (string)_values[index];
        }

        /// <summary>Reads lines up to and including the empty line that ends the block.</summary>
        public void ReadFrom(ChannelByteReader reader, string what)
        {
            while (true)
            {
                string line = reader.ReadLine(_limits.MaxLineLength, HttpRejection.HeaderInvalid, what + " line");
                if (line.Length == 0)
                {
                    return;
                }

                _bytes += line.Length + 2;
                if (_names.Count == _limits.MaxHeaderCount || _bytes > _limits.MaxHeaderBytes)
                {
                    throw new HttpResponseRejectedException(HttpRejection.TooManyHeaders, "more than " + _limits.MaxHeaderCount.ToString() + " " + what + " lines or " + _limits.MaxHeaderBytes.ToString() + " bytes of them");
                }

                if (line[0] == ' ' || line[0] == '\t')
                {
                    // obs-fold (RFC 9112 §5.2): a recipient may reject it, and the device does.
                    throw new HttpResponseRejectedException(HttpRejection.HeaderInvalid, "a folded " + what + " line");
                }

                int colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    throw new HttpResponseRejectedException(HttpRejection.HeaderInvalid, "a " + what + " line without a name and colon");
                }

                string name = line.Substring(0, colon);
                if (!HttpSyntax.IsToken(name))
                {
                    // Includes whitespace before the colon, which RFC 9112 §5.1 makes an error.
                    throw new HttpResponseRejectedException(HttpRejection.HeaderInvalid, "a " + what + " name that is not a token");
                }

                _names.Add(name.ToLower());
                _values.Add(Trim(line, colon + 1));
            }
        }

        public string[] Names()
        {
            return ToArray(_names);
        }

        public string[] Values()
        {
            return ToArray(_values);
        }

        private static string[] ToArray(ArrayList list)
        {
            string[] array = new string[list.Count];
            for (int i = 0; i < array.Length; i++)
            {
                array[i] = (string)list[i];
            }

            return array;
        }

        private static string Trim(string line, int start)
        {
            int end = line.Length;
            while (start < end && (line[start] == ' ' || line[start] == '\t'))
            {
                start++;
            }

            while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
            {
                end--;
            }

            return line.Substring(start, end - start);
        }
    }
}
