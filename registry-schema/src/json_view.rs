//! The YAML node tree seen as JSON by the `jsonschema` validator, so documents
//! are validated in place instead of being copied into `serde_json` values.
//!
//! Aliases are expanded into copies when the tree is built, so the tree is
//! acyclic and every node has its own address.

use std::borrow::Cow;

use jsonschema::json::{Array, Json, Node as JsonNode, NodeIdentity, Object};
use jsonschema::types::JsonType;
use serde_json::Value as Json_;

use crate::span::Spanned;
use crate::yaml::{Node, Value};

/// The representation marker for [`jsonschema::Validator`].
#[derive(Debug)]
pub(crate) struct YamlTree;

impl Json for YamlTree {
    type Node<'a> = &'a Node;
    type PreparedKey = String;
    type StringBuffer = ();

    // Declaration mappings are small: a scan beats any index.
    const KEYS_PER_LOOKUP: usize = 16;
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(&Node) -> T) -> T {
        // Only `propertyNames` (label keys) comes here.
        let node = Node {
            span: crate::Span::default(),
            value: Value::String(string.to_owned()),
        };
        f(&node)
    }
}

impl<'a> JsonNode<'a, YamlTree> for &'a Node {
    type Object = Members<'a>;
    type Array = &'a [Node];
    type Number = serde_json::Number;

    fn as_object(&self) -> Option<Members<'a>> {
        match &self.value {
            Value::Map(entries) => Some(Members(entries)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match &self.value {
            Value::String(s) => Some(Cow::Borrowed(s)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<serde_json::Number> {
        match self.value {
            Value::Int(i) => Some(i.into()),
            Value::Float(f) => serde_json::Number::from_f64(f),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    fn json_type(&self) -> JsonType {
        match self.value {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Boolean,
            Value::Int(_) | Value::Float(_) => JsonType::Number,
            Value::String(_) => JsonType::String,
            Value::Seq(_) => JsonType::Array,
            Value::Map(_) => JsonType::Object,
        }
    }

    fn equals_value(&self, expected: &Json_) -> bool {
        // `const` and `enum` compare scalars; no copy for those.
        match (&self.value, expected) {
            (Value::String(s), Json_::String(e)) => s == e,
            (Value::Bool(b), Json_::Bool(e)) => b == e,
            (Value::Null, Json_::Null) => true,
            (Value::Int(_) | Value::Float(_), Json_::Number(_))
            | (Value::Seq(_), Json_::Array(_))
            | (Value::Map(_), Json_::Object(_)) => {
                jsonschema::json::cmp::equal(&self.to_json(), expected)
            }
            _ => false,
        }
    }

    fn to_value(&self) -> Cow<'a, Json_> {
        Cow::Owned(self.to_json())
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Node>(self) as usize))
    }
}

/// The members of a mapping node.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Members<'a>(&'a [(Spanned<String>, Node)]);

/// Iterator over `(name, value)` pairs of a mapping.
#[derive(Debug)]
pub(crate) struct MembersIter<'a>(std::slice::Iter<'a, (Spanned<String>, Node)>);

impl<'a> Iterator for MembersIter<'a> {
    type Item = (&'a str, &'a Node);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.value.as_str(), v))
    }
}

impl<'a> Object<'a, YamlTree> for Members<'a> {
    type Node = &'a Node;
    type MemberName = &'a str;
    type MembersIter = MembersIter<'a>;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn get(&self, key: &String) -> Option<&'a Node> {
        self.0.iter().find(|(k, _)| k.value == *key).map(|(_, v)| v)
    }

    fn members(&self) -> MembersIter<'a> {
        MembersIter(self.0.iter())
    }
}

impl<'a> Array<'a, YamlTree> for &'a [Node] {
    type Node = &'a Node;
    type ElementsIter = std::slice::Iter<'a, Node>;

    fn len(&self) -> usize {
        <[Node]>::len(self)
    }

    fn elements(&self) -> std::slice::Iter<'a, Node> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{LoadLimits, load};
    use serde_json::json;

    /// The in-place view and the copied JSON give the same verdicts.
    #[test]
    fn view_and_copy_agree() {
        let schema = json!({
            "type": "object",
            "required": ["a"],
            "additionalProperties": false,
            "properties": {
                "a": {"enum": ["x", "w"]},
                "b": {"type": "array", "items": {"type": "integer", "minimum": 2}},
                "c": {"const": {"k": [1, true, null]}},
                "d": {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}},
                "e": {"type": "string", "minLength": 3, "pattern": "^h"}
            }
        });
        let view = jsonschema::options_for::<YamlTree>()
            .offline()
            .build(&schema)
            .expect("schema");
        let copy = jsonschema::options()
            .offline()
            .build(&schema)
            .expect("schema");
        for doc in [
            "a: x\n",
            "a: z\n",
            "b: [2, 3]\n",
            "a: w\nb: [1]\n",
            "a: x\nc: {k: [1, true, ~]}\n",
            "a: x\nc: {k: [1, false, ~]}\n",
            "a: x\nd: {ok: 1, Bad: 2}\n",
            "a: x\ne: héllo\n",
            "a: x\ne: hé\n",
            "a: x\nf: 1\n",
        ] {
            let root = load(doc, &LoadLimits::default()).expect("yaml");
            let json = root.to_json();
            assert_eq!(view.is_valid(&root), copy.is_valid(&json), "{doc}");
            let view_paths: Vec<String> = view
                .iter_errors(&root)
                .map(|e| e.instance_path().as_str().to_owned())
                .collect();
            let copy_paths: Vec<String> = copy
                .iter_errors(&json)
                .map(|e| e.instance_path().as_str().to_owned())
                .collect();
            assert_eq!(view_paths, copy_paths, "{doc}");
        }
    }
}
