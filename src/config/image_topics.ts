// The names and types of a camera's image topics, shared by the configuration (`topics.image`
// accepts these names) and by replay, which discovers cameras in a bag by them (bag_topics.ts).

export const IMAGE_TYPES = ['sensor_msgs/msg/Image', 'sensor_msgs/msg/CompressedImage'] as const;
export const IMAGE_LEAVES = ['image_raw', 'image_rect', 'image_color', 'image_rect_color', 'image_mono', 'image'] as const;
/** The image topic names a camera namespace may hold, raw or compressed: replay discovers these, and `topics.image` accepts them. */
export const IMAGE_TOPIC_NAMES = [...IMAGE_LEAVES, ...IMAGE_LEAVES.map((l) => `${l}/compressed` as const)] as const;
