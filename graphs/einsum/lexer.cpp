#include "graphs/einsum/lexer.h"

#include <cctype>
#include <cstdlib>

#include "sim/core/error.h"

namespace streamsim {
namespace einsum {

const char* tok_name(Tok t) {
  switch (t) {
    case Tok::Ident: return "a name";
    case Tok::Number: return "a number";
    case Tok::LBracket: return "'['";
    case Tok::RBracket: return "']'";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::Comma: return "','";
    case Tok::Assign: return "'='";
    case Tok::Plus: return "'+'";
    case Tok::Minus: return "'-'";
    case Tok::Star: return "'*'";
    case Tok::Slash: return "'/'";
    case Tok::DoubleColon: return "'::'";
    case Tok::GreaterEq: return "'>='";
    case Tok::End: return "end of line";
  }
  return "?";
}

std::vector<Token> lex_line(const std::string& line, const std::string& file, int line_no) {
  std::vector<Token> out;
  std::size_t i = 0;
  auto loc_at = [&](std::size_t col) { return SourceLoc{file, line_no, static_cast<int>(col) + 1}; };
  while (i < line.size()) {
    char c = line[i];
    if (c == '#') break;
    if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    Token t;
    t.loc = loc_at(i);
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '_')) ++j;
      t.kind = Tok::Ident;
      t.text = line.substr(i, j - i);
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i + 1 < line.size() &&
                                                             std::isdigit(static_cast<unsigned char>(line[i + 1])))) {
      const char* begin = line.c_str() + i;
      char* end = nullptr;
      t.number = std::strtod(begin, &end);
      t.kind = Tok::Number;
      t.text = line.substr(i, static_cast<std::size_t>(end - begin));
      i += static_cast<std::size_t>(end - begin);
    } else {
      auto two = line.substr(i, 2);
      if (two == "::") { t.kind = Tok::DoubleColon; t.text = two; i += 2; }
      else if (two == ">=") { t.kind = Tok::GreaterEq; t.text = two; i += 2; }
      else {
        switch (c) {
          case '[': t.kind = Tok::LBracket; break;
          case ']': t.kind = Tok::RBracket; break;
          case '(': t.kind = Tok::LParen; break;
          case ')': t.kind = Tok::RParen; break;
          case ',': t.kind = Tok::Comma; break;
          case '=': t.kind = Tok::Assign; break;
          case '+': t.kind = Tok::Plus; break;
          case '-': t.kind = Tok::Minus; break;
          case '*': t.kind = Tok::Star; break;
          case '/': t.kind = Tok::Slash; break;
          default:
            throw Error(t.loc, std::string("unexpected character '") + c +
                                   "' in cascade; allowed: names, numbers, [ ] ( ) , = + - * / :: >= and # comments");
        }
        t.text = std::string(1, c);
        ++i;
      }
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.kind = Tok::End;
  end.loc = loc_at(line.size());
  out.push_back(end);
  return out;
}

}  // namespace einsum
}  // namespace streamsim
