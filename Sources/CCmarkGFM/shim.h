#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

// The extension node types are exported by the library but declared in no
// installed header, and Swift 6 refuses to read mutable C globals directly.
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL, CMARK_NODE_STRIKETHROUGH;
static inline cmark_node_type gloss_node_table(void) { return CMARK_NODE_TABLE; }
static inline cmark_node_type gloss_node_table_row(void) { return CMARK_NODE_TABLE_ROW; }
static inline cmark_node_type gloss_node_table_cell(void) { return CMARK_NODE_TABLE_CELL; }
static inline cmark_node_type gloss_node_strikethrough(void) { return CMARK_NODE_STRIKETHROUGH; }
