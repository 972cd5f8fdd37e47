package net.minidev.json.parser;

import java.io.IOException;
import net.minidev.json.writer.JsonReaderI;

/**
 * json-smart's string parser with the nesting-depth bookkeeping upstream json-smart has.
 *
 * Debian's json-smart 2.2-2+deb12u1 backports the CVE-2023-1370 limit of 400 nested levels but does not
 * lower the count again when an object with members ends, so every document with more than 400 objects
 * (a 500-record PutRecords body, say) fails with "Malicious payload, having non natural depths". API
 * Gateway parses such bodies; restoring the depth after each object and array gives upstream's behaviour
 * (the limit on real nesting stays). It lives in json-smart's package because the parser it extends is
 * package-private.
 */
public final class DepthRestoringParser extends JSONParserString {
  public DepthRestoringParser(int permissiveMode) {
    super(permissiveMode);
  }

  @Override
  protected <T> T readObject(JsonReaderI<T> mapper) throws ParseException, IOException {
    int before = depth;
    T value = super.readObject(mapper);
    depth = before;
    return value;
  }

  @Override
  protected <T> T readArray(JsonReaderI<T> mapper) throws ParseException, IOException {
    int before = depth;
    T value = super.readArray(mapper);
    depth = before;
    return value;
  }
}
