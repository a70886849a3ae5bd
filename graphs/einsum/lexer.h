#pragma once
// Splits one line of a cascade file into tokens. The language is line-oriented (one
// statement per line, `#` starts a comment), so lexing is per line and every token knows
// its line and column for error messages.
#include <string>
#include <vector>

#include "sim/core/types.h"

namespace streamsim {
namespace einsum {

enum class Tok {
  Ident, Number, LBracket, RBracket, LParen, RParen, Comma, Assign,
  Plus, Minus, Star, Slash, DoubleColon, GreaterEq, End
};

struct Token {
  Tok kind = Tok::End;
  std::string text;
  double number = 0;
  SourceLoc loc;
};

const char* tok_name(Tok t);

// Tokens of `line` (without its comment), ending with a Tok::End token.
// Throws streamsim::Error naming the column of an unexpected character.
std::vector<Token> lex_line(const std::string& line, const std::string& file, int line_no);

}  // namespace einsum
}  // namespace streamsim
